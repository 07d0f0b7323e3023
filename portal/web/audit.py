"""The audit writer for views and request glue: who and where come from the request.

``record`` takes the same "what" as ``portal.domain.audit.record`` and fills in who acts (the
logged-in user, or the ``gebruiker`` given) and the access point (method and path, the client's
address). The record joins the request's transaction: the view's ``transaction()`` saves it.
"""

from __future__ import annotations

from flask import has_request_context, request
from flask_login import current_user

from portal.domain import audit
from portal.domain.audit import Toegang, Wie


def wie(gebruiker=None) -> Wie | None:
    """``gebruiker`` if given, else the logged-in user, else None (anonymous)."""
    if gebruiker is None and has_request_context() and current_user.is_authenticated:
        gebruiker = current_user
    return Wie.van(gebruiker)


def toegang() -> Toegang:
    """This request's route and source; outside a request (a CLI command, the huey consumer) 'cli'."""
    if not has_request_context():
        return audit.CLI
    return Toegang(f"{request.method} {request.path}", (request.remote_addr or "onbekend")[:100])


def record(gebeurtenis: str, actie: str, *, gebruiker=None, **wat) -> dict:
    """Append one audit record for this request (``wat``: relatienummers, contract_nummer,
    uitkomst, details), in the request's transaction."""
    return audit.record(gebeurtenis, actie, wie=wie(gebruiker), toegang=toegang(), **wat)
