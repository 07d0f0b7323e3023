"""Koppeling salarisadministratie: the accountbeheerder's view of the organisation's API
credentials (communicatieprofiel), with the last use, and a new password on request (shown once)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user
from sqlalchemy import select

from portal.domain import credentials
from portal.extensions import db
from portal.forms import EmptyForm
from portal.models import ApiCredential
from portal.transaction import transaction
from portal.web import access, audit

bp = Blueprint("koppeling", __name__)


def eigen_profielen() -> list[ApiCredential]:
    """The communicatieprofielen of the current user's organisation."""
    return list(
        db.session.scalars(
            select(ApiCredential)
            .where(ApiCredential.organisatie_id == current_user.organisatie_id)
            .order_by(ApiCredential.gebruikersnaam)
        )
    )


def _pagina(nieuw: tuple[str, str] | None = None):
    return render_template("koppeling/index.html", profielen=eigen_profielen(), knop=EmptyForm(), nieuw=nieuw)


@bp.get("/koppeling")
@access.requires(access.ACCOUNTBEHEER)
def index():
    return _pagina()


@bp.post("/koppeling/<gebruikersnaam>/vernieuwen")
@access.requires(access.ACCOUNTBEHEER)
def vernieuwen(gebruikersnaam: str):
    profiel = next((p for p in eigen_profielen() if p.gebruikersnaam == gebruikersnaam), None)
    if profiel is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    with transaction():
        wachtwoord = credentials.rotate(profiel)
        audit.record(
            "api_inloggegevens_vernieuwd", "update", details={"gebruikersnaam": profiel.gebruikersnaam}
        )
    return _pagina((profiel.gebruikersnaam, wachtwoord))
