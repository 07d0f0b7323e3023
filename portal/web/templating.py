"""Jinja filters and globals: Dutch dates, Amsterdam times and euros (``portal.domain.formatting``),
htmx pin, navigation."""

from __future__ import annotations

from flask import Flask, current_app, g, request

from portal.domain import intake
from portal.domain.formatting import datum, euro, tijdstip
from portal.domain.names import volledige_naam
from portal.domain.rollen import Rol
from portal.web import security
from portal.web.navigation import items_for_user


def has_endpoint(name: str) -> bool:
    """Whether this build has the screen (later areas add theirs)."""
    return name in current_app.view_functions


def vraag_context() -> dict:
    """The context 'Stel een vraag over de getoonde informatie' carries to the contact form.

    Views set ``g.context_contract`` and ``g.context_relatienummer``; never a BSN.
    """
    context = {
        "pagina": request.path,
        "contract": g.get("context_contract"),
        "relatienummer": g.get("context_relatienummer"),
    }
    return {key: value for key, value in context.items() if value}


def register(app: Flask) -> None:
    """Install filters and globals."""
    app.jinja_env.filters.update(datum=datum, tijdstip=tijdstip, euro=euro)
    app.jinja_env.globals.update(
        HTMX_URL=security.HTMX_URL,
        HTMX_INTEGRITY=security.HTMX_INTEGRITY,
        navigatie=items_for_user,
        has_endpoint=has_endpoint,
        vraag_context=vraag_context,
        # Label by role name: templates hold the stored names (``ROL_LABELS[rol]``).
        ROL_LABELS={rol.value: rol.label for rol in Rol},
        volledige_naam=volledige_naam,
        melding_naam=intake.naam_van,
    )

    @app.context_processor
    def page_context():
        return {"huidige_pagina": request.path}
