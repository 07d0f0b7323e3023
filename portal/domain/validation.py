"""Allow-list checks shared by forms, uploads and the API: one validator per rule."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import lru_cache

from stdnum.nl import bsn as stdnum_bsn

from portal.domain.fouten import Fout

_KVK = re.compile(r"^\d{8}$")
BSN_ONGELDIG = "Dit BSN klopt niet: een BSN heeft 9 cijfers en voldoet aan de elfproef."


def is_valid_bsn(value: str | None) -> bool:
    """Nine digits that pass the elfproef."""
    return value is not None and len(value) == 9 and value.isdigit() and stdnum_bsn.is_valid(value)


def controleer_bsn(value: str, veld: str) -> list[Fout]:
    """A BSN that must be given: ``veld_verplicht`` or ``bsn_ongeldig`` for the field at ``veld``."""
    if not value:
        return [Fout("veld_verplicht", "Vul het BSN in.", veld)]
    if not is_valid_bsn(value):
        return [Fout("bsn_ongeldig", BSN_ONGELDIG, veld)]
    return []


def is_valid_kvk(value: str | None) -> bool:
    """Eight digits."""
    return value is not None and bool(_KVK.match(value))


@lru_cache(maxsize=4096)
def lees_datum(value: str | None) -> date | None:
    """dd-mm-jjjj (as users type it) or jjjj-mm-dd (as machines send it); None if not a date.

    Remembered: a melding asks for the same few dates about ten times over its checks, and
    strptime costs 10 to 20 µs a time (a file of 10,000 lines holds only a few hundred dates)."""
    if not value:
        return None
    text = value.strip()
    for fmt in ("%d-%m-%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()  # a date, not a time
        except ValueError:
            continue
    return None
