"""The Contract gebruik chart as plain geometry: the template draws it as server-side SVG.

Two panels over the same months, oldest left: the deelnemers at the end of each month (bars),
and under it the instroom (up) and uitstroom (down) of the month. The table beside it carries
the same figures as text; the SVG is decoration for those who see it (``aria-hidden``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from portal.domain.stroom import Maandcijfers

BREEDTE = 760
LINKS = 64  # room for the y-axis labels
RECHTS = 12
BOVEN_HOOGTE = 200
STROOM_HOOGTE = 110
TUSSENRUIMTE = 44  # between the panels: the month labels
BOVEN = 16


@dataclass(frozen=True)
class Staaf:
    x: float
    y: float
    breedte: float
    hoogte: float


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    tekst: str


@dataclass(frozen=True)
class Grafiek:
    hoogte: int
    aantal: list[Staaf]
    instroom: list[Staaf]
    uitstroom: list[Staaf]
    y_labels: list[Label]
    stroom_labels: list[Label]
    maand_labels: list[Label]
    basislijn: float  # y of the zero line of the lower panel
    onder: float  # y of the bottom of the upper panel


def rond_schaal(waarde: int) -> int:
    """A round axis maximum at or above ``waarde``: 1, 2 or 5 times a power of ten."""
    if waarde <= 0:
        return 1
    macht = 10 ** math.floor(math.log10(waarde))
    for stap in (1, 2, 5, 10):
        if waarde <= stap * macht:
            return stap * macht
    return 10 * macht  # pragma: no cover - the loop ends at 10


def _getal(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def maak(cijfers: list[Maandcijfers]) -> Grafiek:
    """The chart of ``cijfers`` (any order; drawn oldest first)."""
    maanden = sorted(cijfers, key=lambda m: m.maand)
    n = max(len(maanden), 1)
    vak = (BREEDTE - LINKS - RECHTS) / n
    staaf = max(vak * 0.7, 1)
    marge = (vak - staaf) / 2
    max_aantal = rond_schaal(max((m.aantal for m in maanden), default=0))
    max_stroom = rond_schaal(max((max(m.instroom, m.uitstroom) for m in maanden), default=0))
    onder = BOVEN + BOVEN_HOOGTE
    basislijn = onder + TUSSENRUIMTE + STROOM_HOOGTE / 2
    half = STROOM_HOOGTE / 2
    aantal, instroom, uitstroom, maand_labels = [], [], [], []
    stap = max(1, math.ceil(n / 6))  # at most six month labels fit under the bars
    for index, m in enumerate(maanden):
        x = LINKS + index * vak + marge
        h = BOVEN_HOOGTE * m.aantal / max_aantal
        aantal.append(Staaf(x, onder - h, staaf, h))
        hi, hu = half * m.instroom / max_stroom, half * m.uitstroom / max_stroom
        instroom.append(Staaf(x, basislijn - hi, staaf, hi))
        uitstroom.append(Staaf(x, basislijn, staaf, hu))
        if (len(maanden) - 1 - index) % stap == 0:  # the newest month always has its label
            maand_labels.append(Label(x + staaf / 2, onder + 18, m.label))
    y_labels = [
        Label(LINKS - 6, onder - BOVEN_HOOGTE * f + 4, _getal(round(max_aantal * f))) for f in (0, 0.5, 1)
    ]
    stroom_labels = [
        Label(LINKS - 6, basislijn - half + 4, f"+{_getal(max_stroom)}"),
        Label(LINKS - 6, basislijn + 4, "0"),
        Label(LINKS - 6, basislijn + half + 4, f"-{_getal(max_stroom)}"),
    ]
    return Grafiek(
        hoogte=int(basislijn + half + 40),
        aantal=aantal,
        instroom=instroom,
        uitstroom=uitstroom,
        y_labels=y_labels,
        stroom_labels=stroom_labels,
        maand_labels=maand_labels,
        basislijn=basislijn,
        onder=onder,
    )
