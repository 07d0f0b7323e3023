"""A page of a list: which rows of how many a paged screen shows, and the result it gets.

One rule for every paged list (Huidige deelnemers, In- en uitstroomlijsten, Berichten, Mislukte
verwerkingen): the page asked for is kept within the pages there are, and a number of rows per
page that is not on offer becomes the standard one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

PER_PAGINA = (10, 25, 50, 100)
STANDAARD_PER_PAGINA = 25


def _paginas(aantal: int, per_pagina: int) -> int:
    return max(1, math.ceil(aantal / per_pagina))


@dataclass(frozen=True)
class Pagina:
    """Page ``nummer`` (from 1) of ``aantal`` rows, ``per_pagina`` at a time."""

    nummer: int
    per_pagina: int
    aantal: int

    @classmethod
    def kies(cls, nummer: int, per_pagina: int, aantal: int, keuzes: tuple[int, ...] = PER_PAGINA) -> Pagina:
        """The page asked for, within the pages there are (an offset beyond the rows was a 500
        on PostgreSQL); ``per_pagina`` one of ``keuzes``, else the standard."""
        if per_pagina not in keuzes:
            per_pagina = STANDAARD_PER_PAGINA
        return cls(min(max(1, nummer), _paginas(aantal, per_pagina)), per_pagina, aantal)

    @property
    def paginas(self) -> int:
        return _paginas(self.aantal, self.per_pagina)

    @property
    def vanaf(self) -> int:
        """The OFFSET of this page's first row."""
        return (self.nummer - 1) * self.per_pagina


@dataclass(frozen=True)
class Resultaat:
    """One page of a list's rows, and how many rows the list holds."""

    rijen: list
    aantal: int
    pagina: int
    per_pagina: int
    # True when the count stopped at a limit (``aantal`` is then that limit).
    meer: bool = False

    @classmethod
    def van(cls, rijen: list, pagina: Pagina, meer: bool = False) -> Resultaat:
        return cls(
            rijen=rijen, aantal=pagina.aantal, pagina=pagina.nummer, per_pagina=pagina.per_pagina, meer=meer
        )

    @property
    def paginas(self) -> int:
        return _paginas(self.aantal, self.per_pagina)
