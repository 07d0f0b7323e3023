"""Forms of the Nieuwe deelnemer wizard.

They only carry what is typed: every rule is in ``portal.domain.aanmelden``, whose errors (paths
such as ``leden.0.bsn``) are put on the fields by ``portal.forms.zet_fouten`` (with ``veld_in``).
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, RadioField, SelectField, StringField

from portal.domain import aanmelden as regels
from portal.forms import EmptyForm, choices, strip


class PersoonVelden(Form):
    """The fields every person has."""

    bsn = StringField("BSN", filters=[strip])
    voorletters = StringField("Voorletters", filters=[strip])
    voorvoegsel = StringField("Voorvoegsel", filters=[strip])
    achternaam = StringField("Achternaam", filters=[strip])
    geslacht = RadioField("Geslacht", choices=choices(regels.GESLACHTEN.items()), validate_choice=False)
    geboortedatum = StringField("Geboortedatum", filters=[strip])
    nationaliteit = StringField("Nationaliteit", filters=[strip], default="Nederlandse")

    PERSOON = (
        "bsn",
        "voorletters",
        "voorvoegsel",
        "achternaam",
        "geslacht",
        "geboortedatum",
        "nationaliteit",
    )

    def gegevens(self, rol: str, producten=()) -> regels.PersoonGegevens:
        data = {naam: self[naam].data or "" for naam in self.PERSOON}
        return regels.PersoonGegevens.uit({**data, "rol": rol, "producten": list(producten)})


class ClientForm(FlaskForm, PersoonVelden):
    """Step 2: the client (hoofdverzekerde), address and ingangsdatum."""

    straat = StringField("Straat", filters=[strip])
    huisnummer = StringField("Huisnummer", filters=[strip])
    huisnummer_toevoeging = StringField("Toevoeging", filters=[strip])
    postcode = StringField("Postcode", filters=[strip])
    woonplaats = StringField("Woonplaats", filters=[strip])
    email = StringField("E-mailadres", filters=[strip])
    telefoon = StringField("Telefoonnummer", filters=[strip])
    ingangsdatum = StringField("Ingangsdatum", filters=[strip])

    ADRES = ("straat", "huisnummer", "huisnummer_toevoeging", "postcode", "woonplaats", "email", "telefoon")

    def gegevens(self, rol: str = regels.HOOFD, producten=()) -> regels.PersoonGegevens:
        persoon = super().gegevens(rol, producten)
        for naam in self.ADRES:
            setattr(persoon, naam, self[naam].data or "")
        return persoon


class GezinslidVelden(PersoonVelden):
    rol = SelectField(
        "Gezinslid",
        choices=choices([(regels.PARTNER, "Partner"), (regels.KIND, "Kind")]),
        validate_choice=False,
    )


class GezinsledenForm(FlaskForm):
    """Step 3: partner and kinderen; ``ingangsdatum`` only when bijschrijven (no client step)."""

    leden = FieldList(FormField(GezinslidVelden))
    ingangsdatum = StringField("Ingangsdatum gezinsleden", filters=[strip])

    def gegevens(self, oude: list[regels.PersoonGegevens]) -> list[regels.PersoonGegevens]:
        """The typed gezinsleden, keeping each one's earlier product choice."""
        leden = []
        for i, entry in enumerate(self.leden.entries):
            producten = oude[i].producten if i < len(oude) else []
            leden.append(entry.form.gegevens(entry.form.rol.data or regels.KIND, producten))
        return leden


class BetalingForm(FlaskForm):
    """Step 4's payment part (the product choices are parsed by the view: they vary per contract)."""

    wijze = RadioField("Betalingswijze", validate_choice=False)
    iban = StringField("IBAN", filters=[strip])
    rekeninghouder = StringField("Naam rekeninghouder", filters=[strip])

    def vul_wijzen(self, contract) -> None:
        self.wijze.choices = choices(
            (w, regels.BETALINGSWIJZEN.get(w, w)) for w in contract.betalingswijzen.split(",")
        )

    def gegevens(self) -> regels.Betaling:
        return regels.Betaling.uit(
            {"wijze": self.wijze.data, "iban": self.iban.data, "rekeninghouder": self.rekeninghouder.data}
        )


def veld_in(form, pad: str, voorvoegsel: str = ""):
    """The field at a domain path within ``form`` (``hoofd.bsn`` -> form.bsn with voorvoegsel
    'hoofd.'; ``leden.1.bsn`` -> form.leden[1].bsn)."""
    if voorvoegsel and pad.startswith(voorvoegsel):
        pad = pad[len(voorvoegsel) :]
    doel = form
    for deel in pad.split("."):
        if isinstance(doel, FieldList):
            if not deel.isdigit() or int(deel) >= len(doel.entries):
                return None
            doel = doel.entries[int(deel)].form
            continue
        if deel not in getattr(doel, "_fields", {}):
            return None
        doel = doel[deel]
    return doel if doel is not form else None


class StartForm(EmptyForm):
    """The first step of Nieuwe deelnemer: which contract."""

    contract = SelectField("Contract", validate_choice=False)
