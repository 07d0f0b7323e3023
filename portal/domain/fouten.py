"""Rejections: a stable code for machines and a Dutch sentence that says what to correct.

The same rule gives the same code from the form, an upload or the API.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fout:
    code: str
    bericht: str
    veld: str | None = None


class Afgekeurd(Exception):  # the domain's word: a rejected melding
    """One or more rules refused the melding; nothing was changed."""

    def __init__(self, fouten: list[Fout]):
        super().__init__("; ".join(f.code for f in fouten))
        self.fouten = fouten
