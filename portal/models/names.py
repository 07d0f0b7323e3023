"""How a person's name is shown and searched: pure functions the model uses for its search keys
and its ``volledige_naam`` (the domain adds the aanhef, ``portal.domain.names``)."""

from __future__ import annotations

import unicodedata


def zoeksleutel(text: str | None) -> str:
    """Lower-case, accent-free, letters and digits only: 'Müller-Özil' -> 'mullerozil'.

    Stored beside the name so a prefix search is one indexed range scan.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = [c for c in decomposed if not unicodedata.combining(c)]
    folded = "".join(kept).casefold()
    # Letters that NFKD does not decompose.
    ontleding: dict[str, str | int | None] = {"ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae"}
    folded = folded.translate(str.maketrans(ontleding))
    return "".join(c for c in folded if c.isalnum())


def zoekvelden(voorletters: str | None, voorvoegsel: str | None, achternaam: str) -> dict[str, str]:
    """The two stored search keys of a name, each followed by the voorletters.

    ``zoek_achternaam`` ('berg aj') serves 'Berg', ``zoek_volledig`` ('vanderberg aj') serves
    'van der Berg'. The space sorts below every letter and digit, so ordering by a key is
    ordering by name and then voorletters, and a prefix of the name is one index range.
    """
    letters = zoeksleutel(voorletters)
    return {
        "zoek_achternaam": f"{zoeksleutel(achternaam)} {letters}",
        "zoek_volledig": f"{zoeksleutel((voorvoegsel or '') + achternaam)} {letters}",
    }


def volledige_naam(voorletters: str, voorvoegsel: str | None, achternaam: str) -> str:
    """'A.J.', 'van der', 'Berg' -> 'A.J. van der Berg'."""
    return " ".join(part for part in (voorletters, voorvoegsel, achternaam) if part)
