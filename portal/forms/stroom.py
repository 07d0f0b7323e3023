"""Forms of In- en uitstroomlijsten and Contract gebruik (GET forms: shareable, no CSRF needed)."""

from __future__ import annotations

import re
from datetime import date

from wtforms import Form, HiddenField, SelectField, StringField
from wtforms.validators import ValidationError

from portal.domain import stroom
from portal.domain.dates import eerste_dag, vorige_maand
from portal.domain.pagina import STANDAARD_PER_PAGINA
from portal.forms import LijstForm, als_int, choices, strip

ANDERE_PERIODE = "anders"
_MAAND = re.compile(r"^\s*(\d{1,2})\s*[-/ ]\s*(\d{4})\s*$|^\s*(\d{4})-(\d{2})\s*$")
VROEGSTE_JAAR = 2000


def lees_maand(tekst: str | None) -> date | None:
    """'03-2025', '3-2025' or '2025-03' as the first day of that month; None otherwise."""
    gevonden = _MAAND.match(tekst or "")
    if not gevonden:
        return None
    maand, jaar = (
        (gevonden.group(1), gevonden.group(2))
        if gevonden.group(1)
        else (gevonden.group(4), gevonden.group(3))
    )
    if not 1 <= int(maand) <= 12 or not VROEGSTE_JAAR <= int(jaar) <= 2100:
        return None
    return date(int(jaar), int(maand), 1)


class StroomForm(LijstForm):
    """Contract, period and what to show."""

    contract = StringField("Contract", filters=[strip])
    periode = SelectField("Periode", validate_choice=False)
    van = StringField("Van maand", filters=[strip])
    tot = StringField("T/m maand", filters=[strip])
    weergave = SelectField(
        "Weergave",
        default="stroom",
        choices=choices([("stroom", "Toon alleen in- en uitstromers"), ("alle", "Toon alle deelnemers")]),
    )
    sorteer = HiddenField(default="naam")

    def vul_periodes(self, eerste_jaar: int, laatste_jaar: int) -> None:
        """One choice per calendar year of the contract, newest first, and 'Andere periode'."""
        jaren = range(laatste_jaar, max(eerste_jaar, VROEGSTE_JAAR) - 1, -1)
        self.periode.choices = choices(
            [(str(j), f"{j} - Januari t/m December") for j in jaren]
            + [(ANDERE_PERIODE, "Andere periode (vul hieronder van en t/m in)")]
        )
        if not self.periode.data:
            self.periode.data = str(laatste_jaar)

    def validate_periode(self, field) -> None:
        if field.data == ANDERE_PERIODE:
            return
        if not re.fullmatch(r"\d{4}", field.data or "") or not VROEGSTE_JAAR <= int(field.data) <= 2100:
            raise ValidationError("Kies een periode uit de lijst.")

    def validate_van(self, field) -> None:
        if self.periode.data == ANDERE_PERIODE and lees_maand(field.data) is None:
            raise ValidationError("Vul de eerste maand in als mm-jjjj, bijvoorbeeld 01-2025.")

    def validate_tot(self, field) -> None:
        if self.periode.data != ANDERE_PERIODE:
            return
        tot = lees_maand(field.data)
        if tot is None:
            raise ValidationError("Vul de laatste maand in als mm-jjjj, bijvoorbeeld 12-2025.")
        van = lees_maand(self.van.data)
        if van is not None and tot < van:
            raise ValidationError("De laatste maand ligt voor de eerste maand.")

    def gekozen_periode(self) -> stroom.Periode:
        """The checked period (call after validate())."""
        if self.periode.data == ANDERE_PERIODE:
            van, tot = lees_maand(self.van.data), lees_maand(self.tot.data)
            return stroom.Periode.maanden(van.year, van.month, tot.year, tot.month)
        return stroom.Periode.jaar(int(self.periode.data))

    def opdracht(self, contract_id: int) -> stroom.Lijstopdracht:
        return stroom.Lijstopdracht(
            contract_id=contract_id,
            periode=self.gekozen_periode(),
            alle=self.weergave.data == "alle",
            sorteer=self.sorteer.data if self.sorteer.data in stroom.SORTERINGEN else "naam",
            pagina=self.pagina_getal,
            per_pagina=als_int(self.per_pagina.data, STANDAARD_PER_PAGINA),
        )

    def parameters(self) -> dict:
        """The list's values: van and tot only for another period."""
        anders = self.periode.data == ANDERE_PERIODE
        return {
            "contract": self.contract.data,
            "periode": self.periode.data,
            "van": self.van.data if anders else None,
            "tot": self.tot.data if anders else None,
            "weergave": None if self.weergave.data == "stroom" else self.weergave.data,
            "sorteer": self.sorteer.data,
            "per_pagina": self.per_pagina.data,
            "pagina": self.pagina.data,
        }


# Contract gebruik: how many months back from the current one.
GEBRUIK_PERIODES = [
    ("12", "De laatste 12 maanden"),
    ("24", "De laatste 24 maanden"),
    ("60", "De laatste 5 jaar"),
    ("alles", "De hele looptijd van het contract"),
]


class GebruikForm(Form):
    contract = StringField("Contract", filters=[strip])
    periode = SelectField("Periode", choices=choices(GEBRUIK_PERIODES), default="12")

    def gekozen_periode(self, ingangsdatum: date, laatste_maand: date) -> stroom.Periode:
        """From the chosen number of months back (never before the contract began) through
        ``laatste_maand``."""
        begin = eerste_dag(ingangsdatum)
        if self.periode.data != "alles":
            van = laatste_maand
            for _ in range(int(self.periode.data) - 1):
                van = vorige_maand(van)
            begin = max(begin, van)
        begin = min(begin, laatste_maand)
        return stroom.Periode.maanden(begin.year, begin.month, laatste_maand.year, laatste_maand.month)
