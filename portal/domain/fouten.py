"""Refusals: a stable code for machines and a Dutch sentence that says what to correct.

The same rule gives the same code from the form, an upload or the API. Every refusal of the
domain is a ``Geweigerd`` carrying its ``Fout`` items; ``portal.forms.zet_fouten`` puts them on
a form's fields, the API maps each kind to its HTTP status (``portal.blueprints.api``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fout:
    code: str
    bericht: str
    veld: str | None = None

    @classmethod
    def uit(cls, opgeslagen: dict) -> Fout:
        """A Fout as a melding stores it (``{"code", "bericht", "veld"}``)."""
        return cls(opgeslagen["code"], opgeslagen["bericht"], opgeslagen.get("veld"))


class Geweigerd(Exception):  # the domain's word: a rule refused it
    """One or more rules refused what was asked; nothing was changed.

    Raised with the ``Fout`` items, or with one sentence (and the field it is about), which
    becomes a Fout with the class's ``CODE``.
    """

    CODE = "geweigerd"

    def __init__(self, fouten: list[Fout] | str, veld: str | None = None):
        if isinstance(fouten, str):
            fouten = [Fout(self.CODE, fouten, veld)]
        super().__init__("; ".join(f.bericht for f in fouten))
        self.fouten = list(fouten)

    @property
    def code(self) -> str:
        return self.fouten[0].code

    @property
    def bericht(self) -> str:
        """The first (mostly the only) sentence."""
        return self.fouten[0].bericht

    @property
    def veld(self) -> str | None:
        return self.fouten[0].veld


class Afgekeurd(Geweigerd):
    """A melding (aanmelding, afmelding, wijziging) the rules refuse."""

    CODE = "afgekeurd"
