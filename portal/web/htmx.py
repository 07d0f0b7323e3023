"""One place that decides between a full page and an htmx fragment."""

from __future__ import annotations

from flask import render_template, request


def is_htmx() -> bool:
    """A real htmx swap: not a boosted navigation and not a history restore."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-Boosted") != "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def render(page: str, fragment: str, **context) -> str:
    """Render ``fragment`` for an htmx swap, else the ``page`` that includes it."""
    return render_template(fragment if is_htmx() else page, **context)
