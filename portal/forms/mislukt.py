"""The correction form of Mislukte verwerkingen: the melding's fields, per soort, as typed."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from portal.domain.afmelden import REDENEN
from portal.domain.intake import MAX_TEKST, waarde_op, zet
from portal.domain.validation import lees_datum
from portal.forms import choices, strip
from portal.intake.bestand import DATUMS, KOP_VAN_PAD

VELDEN = {
    "aanmelding": [
        "persoon.bsn",
        "persoon.voorletters",
        "persoon.voorvoegsel",
        "persoon.achternaam",
        "persoon.geslacht",
        "persoon.geboortedatum",
        "persoon.nationaliteit",
        "persoon.adres.straat",
        "persoon.adres.huisnummer",
        "persoon.adres.huisnummer_toevoeging",
        "persoon.adres.postcode",
        "persoon.adres.woonplaats",
        "persoon.email",
        "persoon.telefoon",
        "ingangsdatum",
        "kvk_nummer",
    ],
    "afmelding": ["persoon.bsn", "persoon.geboortedatum", "einddatum", "reden", "kvk_nummer"],
    "wijziging": [
        "persoon.bsn",
        "persoon.geboortedatum",
        "wijziging.bsn",
        "wijziging.geboortedatum",
        "wijziging.ingangsdatum",
        "wijziging.einddatum",
        "kvk_nummer",
    ],
}
GESLACHT_KEUZES = [("", "Kies"), ("M", "Man"), ("V", "Vrouw"), ("X", "X (onbepaald)")]
REDEN_KEUZES = [("", "Kies"), *REDENEN.items()]


def veldnaam(pad: str) -> str:
    return pad.replace(".", "__")


def _veld(pad: str):
    label = KOP_VAN_PAD[pad]
    # A melding's text is at most MAX_TEKST long (``intake.MeldingIn``), typed or chosen: the
    # choices are not enforced, so a value as it was sent stays visible until corrected.
    lengte = Length(max=MAX_TEKST, message=f"{label} is hoogstens {MAX_TEKST} tekens.")
    keuzes = {"persoon.geslacht": GESLACHT_KEUZES, "reden": REDEN_KEUZES}.get(pad)
    if keuzes:
        return SelectField(label, choices=choices(keuzes), validate_choice=False, validators=[lengte])
    return StringField(label, filters=[strip], validators=[lengte])


def correctie_form(soort: str, gegevens: dict | None = None) -> FlaskForm:
    """The form for one soort; ``gegevens`` (API shape) fills it when nothing was posted."""

    class CorrectieForm(FlaskForm):
        pass

    for pad in VELDEN[soort]:
        setattr(CorrectieForm, veldnaam(pad), _veld(pad))
    data = {veldnaam(pad): _toon(pad, waarde_op(gegevens or {}, pad)) for pad in VELDEN[soort]}
    return CorrectieForm(data=data)


def _toon(pad: str, waarde: str) -> str:
    """Dates as users read them (dd-mm-jjjj); anything unreadable as it was sent."""
    datum = lees_datum(waarde) if pad in DATUMS else None
    return datum.strftime("%d-%m-%Y") if datum else waarde


def als_gegevens(form, soort: str, collectiviteitsnummer: str) -> dict:
    """The form as a melding in the API's JSON shape (without melding_id)."""
    gegevens: dict = {"soort": soort, "collectiviteitsnummer": collectiviteitsnummer}
    for pad in VELDEN[soort]:
        waarde = form[veldnaam(pad)].data or ""
        if pad in DATUMS and (datum := lees_datum(waarde)):
            waarde = datum.isoformat()
        if waarde:
            zet(gegevens, pad, waarde)
    return gegevens


class VerwijderForm(FlaskForm):
    reden = TextAreaField(
        "Waarom wordt deze melding niet meer verwerkt?",
        filters=[strip],
        validators=[
            DataRequired("Vul een reden in, bijvoorbeeld 'al verwerkt via het portaal'."),
            Length(max=300, message="De reden is hoogstens 300 tekens."),
        ],
    )
