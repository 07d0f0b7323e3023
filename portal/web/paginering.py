"""The links of a paged list: its pages (first, last and those around the current one), its
sortable columns, each as the list's own URL with one thing changed."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode


def links(pagina: int, paginas: int, href: Callable[[int], str], rondom: int = 1) -> dict:
    """``paginas`` as (number, URL) pairs, and the URLs of the previous and next page (or None)."""
    nummers = sorted(
        {n for n in (1, paginas, *range(pagina - rondom, pagina + rondom + 1)) if 1 <= n <= paginas}
    )
    return {
        "paginas": [(n, href(n)) for n in nummers],
        "vorige": href(pagina - 1) if pagina > 1 else None,
        "volgende": href(pagina + 1) if pagina < paginas else None,
    }


def url(basis: str, params: dict) -> str:
    """``basis`` with ``params`` as its query string (built with urlencode, not a url_for per
    link: the lists are among the portal's most requested pages)."""
    return f"{basis}?{urlencode(params)}" if params else basis


def lijstlinks(basis: str, form, resultaat, kolommen: tuple[str, ...] = (), rondom: int = 1) -> dict:
    """The hrefs under a list shown by ``form`` (a ``portal.forms.LijstForm``): every page
    around the current one, and for each of ``kolommen`` its sorting (the current column again
    turns the order round)."""

    def href(**override) -> str:
        return url(basis, form.url_params(**override))

    gevonden = {
        "basis": basis,
        **links(resultaat.pagina, resultaat.paginas, lambda n: href(pagina=n), rondom),
    }
    if kolommen:
        huidig = form.sorteer.data or "naam"
        gevonden["sorteren"] = {
            kolom: href(sorteer=f"-{kolom}" if huidig == kolom else kolom, pagina=None) for kolom in kolommen
        }
    return gevonden
