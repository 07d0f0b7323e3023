"""The page links under a paged list: first, last and the pages around the current one."""

from __future__ import annotations

from collections.abc import Callable


def links(pagina: int, paginas: int, href: Callable[[int], str], rondom: int = 1) -> dict:
    """``paginas`` as (number, URL) pairs, and the URLs of the previous and next page (or None)."""
    nummers = sorted({n for n in (1, paginas, *range(pagina - rondom, pagina + rondom + 1))
                      if 1 <= n <= paginas})
    return {
        "paginas": [(n, href(n)) for n in nummers],
        "vorige": href(pagina - 1) if pagina > 1 else None,
        "volgende": href(pagina + 1) if pagina < paginas else None,
    }
