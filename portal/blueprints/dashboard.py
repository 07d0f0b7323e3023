"""The dashboard: what the user may use, and their contracts."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from portal.domain import berichten
from portal.web import access
from portal.web.navigation import items_for_user

bp = Blueprint("dashboard", __name__)


@bp.get("/")
@access.requires(*access.ELKE_ROL)
def index():
    """Start page after login."""
    return render_template(
        "dashboard/index.html",
        items=items_for_user(),
        contracten=access.contracten(),
        ongelezen=berichten.ongelezen(current_user, access.contract_ids()),
    )
