"""Forms of Huidige deelnemers: the search and direct afmelden."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import Length, Optional, Regexp, ValidationError

from portal.domain import afmelden as afmeld_regels
from portal.domain import zoeken
from portal.domain.pagina import STANDAARD_PER_PAGINA
from portal.domain.validation import BSN_ONGELDIG, is_valid_bsn, lees_datum
from portal.forms import LijstForm, MultiCheckboxField, als_int, choices, strip


def _datum(message: str):
    def check(form, field) -> None:
        if field.data and lees_datum(field.data) is None:
            raise ValidationError(message)

    return check


class ZoekForm(LijstForm):
    """The search. A plain Form: a GET search needs no CSRF token, the POST one is checked by
    the app-wide CSRF protection."""

    achternaam = StringField(
        "Achternaam",
        filters=[strip],
        validators=[Optional(), Length(max=100, message="Een achternaam heeft hoogstens 100 tekens.")],
    )
    bsn = StringField("BSN", filters=[strip])
    relatienummer = StringField(
        "Relatienummer",
        filters=[strip],
        validators=[
            Optional(),
            Regexp(r"^\d{1,12}$", message="Een relatienummer bestaat uit cijfers (hoogstens 12)."),
        ],
    )
    geboortedatum = StringField(
        "Geboortedatum",
        filters=[strip],
        validators=[Optional(), _datum("Vul de geboortedatum in als dd-mm-jjjj, bijvoorbeeld 14-02-1967.")],
    )
    # The user's contracts are checked by the view (a foreign number answers 404).
    contract = SelectField("Contract", validate_choice=False)
    sorteer = HiddenField(default="naam")

    def validate_bsn(self, field) -> None:
        if field.data and not is_valid_bsn(field.data):
            raise ValidationError(BSN_ONGELDIG)

    def vul_contracten(self, contracten) -> None:
        self.contract.choices = choices([("", "Alle contracten")] + [(c.nummer, c.label) for c in contracten])

    def opdracht(self, contract_ids, gebruiker_id: int | None = None) -> zoeken.Zoekopdracht:
        """The checked search (call after validate()); ``gebruiker_id`` when ``contract_ids``
        are all that user's contracts."""
        return zoeken.Zoekopdracht(
            contract_ids=frozenset(contract_ids),
            gebruiker_id=gebruiker_id,
            achternaam=self.achternaam.data or "",
            bsn=self.bsn.data or "",
            relatienummer=self.relatienummer.data or "",
            geboortedatum=lees_datum(self.geboortedatum.data),
            sorteer=self.sorteer.data if self.sorteer.data in zoeken.SORTERINGEN else "naam",
            pagina=self.pagina_getal,
            per_pagina=als_int(self.per_pagina.data, STANDAARD_PER_PAGINA),
        )

    def parameters(self) -> dict:
        """The search's values: never the BSN."""
        return {
            "achternaam": self.achternaam.data,
            "relatienummer": self.relatienummer.data,
            "geboortedatum": self.geboortedatum.data,
            "contract": self.contract.data,
            "sorteer": self.sorteer.data,
            "per_pagina": self.per_pagina.data,
            "pagina": self.pagina.data,
        }


class AfmeldForm(FlaskForm):
    """Einddatum (t/m) and reden; for a hoofdverzekerde also the gezinsleden that end with it."""

    einddatum = StringField("Einddatum (t/m)", filters=[strip])
    reden = SelectField(
        "Reden",
        choices=choices(afmeld_regels.REDENEN.items()),
        default=afmeld_regels.EINDE_COLLECTIVITEIT,
        validate_choice=False,
    )
    mee = MultiCheckboxField("Gezinsleden die ook worden afgemeld", validate_choice=False)

    def vul_gezinsleden(self, leden, eerste_keer: bool) -> None:
        """Each gezinslid a checkbox; on first show all are ticked."""
        self.mee.choices = choices(
            (
                lid.persoon.relatienummer,
                f"{lid.persoon.volledige_naam} ({lid.rol}, relatienummer {lid.persoon.relatienummer})",
            )
            for lid in leden
        )
        if eerste_keer:
            self.mee.data = [lid.persoon.relatienummer for lid in leden]
