"""How names are addressed in berichten. The name itself, shown and searched, is computed once in
``portal.models.names`` (the model stores its search keys and shows its ``volledige_naam``); it is
re-exported here for the domain's callers."""

from __future__ import annotations

from portal.models.names import volledige_naam, zoeksleutel, zoekvelden

__all__ = ["AANHEF", "naam_met_aanhef", "volledige_naam", "zoeksleutel", "zoekvelden"]

AANHEF = {"M": "de heer", "V": "mevrouw"}


def naam_met_aanhef(geslacht: str, voorletters: str, voorvoegsel: str | None, achternaam: str) -> str:
    """'de heer D. Groot', as in the berichten of the manual."""
    naam = volledige_naam(voorletters, voorvoegsel, achternaam)
    aanhef = AANHEF.get(geslacht)
    return f"{aanhef} {naam}" if aanhef else naam
