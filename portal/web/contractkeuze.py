"""Which of the user's contracts a screen shows: chosen from a list, or typed by number or name.

A user with many contracts types part of the gemeente's or werkgever's name or number (the
field offers the contracts as suggestions); a few contracts come as a plain choice list.
A number the user does not have answers 404, as everywhere (``access.get_contract``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from portal.domain.names import zoeksleutel
from portal.models import Contract
from portal.web import access

# Above this many contracts the choice is a text field with suggestions instead of a list.
KEUZELIJST_TOT = 20
_NUMMER = re.compile(r"^\s*(\d{1,20})(?:\s+-\s.*)?$")


@dataclass(frozen=True)
class Keuze:
    """The outcome: the contract, or a Dutch message for the field."""

    contract: Contract | None
    fout: str | None = None


def kies(tekst: str | None, contracten: list[Contract]) -> Keuze:
    """The contract ``tekst`` names among ``contracten`` (the user's, by number).

    Empty text picks the first contract (every screen shows one). A number, or a label as
    the suggestions write it ('12345 - Gemeente Leiden'), is looked up with the access check;
    other text is matched against the names.
    """
    tekst = (tekst or "").strip()
    if not contracten:
        return Keuze(None, "U heeft geen contracten.")
    if not tekst:
        return Keuze(contracten[0])
    nummer = _NUMMER.match(tekst)
    if nummer:
        return Keuze(op_nummer(nummer.group(1), contracten))
    sleutel = zoeksleutel(tekst)
    passend = [c for c in contracten if sleutel and sleutel in zoeksleutel(c.naam)]
    if len(passend) == 1:
        return Keuze(passend[0])
    if not passend:
        return Keuze(
            None,
            f"Geen van uw contracten past bij '{tekst[:100]}'. "
            "Vul het contractnummer of een deel van de naam in.",
        )
    return Keuze(
        None,
        f"{len(passend)} contracten passen bij '{tekst[:100]}'. "
        "Kies er een uit de lijst of vul het contractnummer in.",
    )


def op_nummer(nummer: str, contracten: list[Contract]) -> Contract:
    """The contract with this number from the user's loaded ``contracten``; not among them, the
    shared check answers 404 (and records the attempt)."""
    return next((c for c in contracten if c.nummer == nummer), None) or access.get_contract(nummer)


def als_lijst(contracten: list[Contract]) -> bool:
    """Whether to offer the contracts as a plain choice list."""
    return len(contracten) <= KEUZELIJST_TOT
