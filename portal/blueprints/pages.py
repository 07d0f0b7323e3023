"""Public pages: the accessibility statement and a health check."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import text

from portal.extensions import db
from portal.web.access import public

bp = Blueprint("pages", __name__)


@bp.get("/toegankelijkheid")
@public
def toegankelijkheid():
    """The accessibility statement (toegankelijkheidsverklaring)."""
    return render_template("pages/toegankelijkheid.html")


@bp.get("/gezond")
@public
def gezond():
    """Liveness and database check for the load balancer."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
