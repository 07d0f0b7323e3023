"""Who may do what: roles and contract scope, enforced on the server in one place.

Every endpoint is closed unless marked ``@public``; ``@requires(...)`` names the roles
that may use a route; ``contract_ids()`` and ``get_contract()`` scope every query to the
contracts the user has, so data of another contract answers 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import NoReturn

from flask import abort, g, jsonify, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import String, bindparam, select

from portal.domain.rollen import ELKE_ROL, Rol
from portal.extensions import db
from portal.models import Contract, gebruiker_contract
from portal.transaction import transaction
from portal.web import audit
from portal.web.htmx import is_htmx

# The roles as the views name them in ``@requires(...)``; spelled once, in ``portal.domain.rollen``.
ADMINISTRATIEF = Rol.ADMINISTRATIEF
FINANCIEEL = Rol.FINANCIEEL
ACCOUNTBEHEER = Rol.ACCOUNTBEHEER
__all__ = ["ACCOUNTBEHEER", "ADMINISTRATIEF", "ELKE_ROL", "FINANCIEEL"]

PUBLIC_ENDPOINTS: set[str] = {"static"}


def public(view: Callable) -> Callable:
    """Mark a view as reachable without login."""
    PUBLIC_ENDPOINTS.add(f"{view.__module__.rsplit('.', 1)[-1]}.{view.__name__}")
    view.is_public = True
    return view


def requires(*rollen: str) -> Callable:
    """Allow the view to users holding at least one of ``rollen``; others get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return unauthorized()
            if not (current_user.rollen & set(rollen)):
                with transaction():
                    audit.record(
                        "toegang_geweigerd",
                        "access",
                        uitkomst="geweigerd",
                        details={"endpoint": request.endpoint},
                    )
                abort(403)
            return view(*args, **kwargs)

        wrapped.rollen = frozenset(rollen)
        return wrapped

    return decorator


def may(rol_set) -> bool:
    """Whether the current user holds one of the roles."""
    return current_user.is_authenticated and bool(current_user.rollen & set(rol_set))


# Every search asks these: built once, with bound values, so each request only binds.
_EIGEN_IDS = select(gebruiker_contract.c.contract_id).where(
    gebruiker_contract.c.gebruiker_id == bindparam("gebruiker")
)
_EIGEN_CONTRACT = (
    select(Contract.id)
    .join(gebruiker_contract, gebruiker_contract.c.contract_id == Contract.id)
    .where(
        Contract.nummer == bindparam("nummer", type_=String),
        gebruiker_contract.c.gebruiker_id == bindparam("gebruiker"),
    )
)


def contract_ids() -> set[int]:
    """Ids of the contracts the current user may see (cached for the request)."""
    if "contract_ids" not in g:
        if not current_user.is_authenticated:
            g.contract_ids = set()
        else:
            # .all() fetches the rows at once; iterating the result would fetch them one by
            # one, which for 200 contracts cost more than the search itself.
            g.contract_ids = set(db.session.scalars(_EIGEN_IDS, {"gebruiker": current_user.id}).all())
    return g.contract_ids


def contracten() -> list[Contract]:
    """The user's contracts, by number."""
    ids = contract_ids()
    if not ids:
        return []
    return list(db.session.scalars(select(Contract).where(Contract.id.in_(ids)).order_by(Contract.nummer)))


def get_contract(nummer: str) -> Contract:
    """The contract with this number if the user has it; 404 otherwise (no hint it exists)."""
    contract = db.session.scalar(
        select(Contract)
        .join(gebruiker_contract, gebruiker_contract.c.contract_id == Contract.id)
        .where(Contract.nummer == nummer, gebruiker_contract.c.gebruiker_id == current_user.id)
    )
    if contract is None:
        _geen_toegang(nummer)
    return contract


def contract_id(nummer: str) -> int:
    """``get_contract`` for the hottest route: only the id, without loading the contract."""
    contract = db.session.scalar(_EIGEN_CONTRACT, {"nummer": nummer, "gebruiker": current_user.id})
    if contract is None:
        _geen_toegang(nummer)
    return contract


def _geen_toegang(nummer: str) -> NoReturn:
    """404 for a contract that is not the user's; an existing one is logged as refused."""
    if db.session.scalar(select(Contract.id).where(Contract.nummer == nummer)) is not None:
        with transaction():
            audit.record(
                "toegang_geweigerd",
                "access",
                contract_nummer=nummer,
                uitkomst="geweigerd",
                details={"reden": "contract niet toegestaan"},
            )
    abort(404)


def scope(statement, contract_column):
    """Restrict a select to the user's contracts."""
    return statement.where(contract_column.in_(contract_ids()))


def unauthorized():
    """Not logged in (or the session ended): to the login page; htmx gets HX-Redirect."""
    ended = g.get("session_ended")
    target = url_for("auth.login", verlopen=1 if ended else None)
    if request.path.startswith("/api/"):
        return make_response(jsonify({"fout": "niet_ingelogd"}), 401)
    if is_htmx() or request.headers.get("HX-Request") == "true":
        response = make_response("", 401)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target)


def enforce_login() -> None:
    """Before every request: anything not public needs a live login session."""
    endpoint = request.endpoint
    if endpoint is None or endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return unauthorized()
    return None


def forbidden_response(error):
    """403 as a page, or as a fragment htmx swaps into the page's message area."""
    message = "U heeft geen toegang tot deze functie."
    if is_htmx():
        response = make_response(render_template("errors/_melding.html", message=message), 403)
        response.headers["HX-Retarget"] = "#paginamelding"
        response.headers["HX-Reswap"] = "innerHTML"
        return response
    return render_template("errors/error.html", titel="Geen toegang", message=message), 403
