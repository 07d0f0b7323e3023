"""Logging in with eHerkenning, the no-account page, and logging out."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.blueprints import aanvragen
from portal.extensions import db, limiter
from portal.forms import EmptyForm
from portal.models import Gebruiker
from portal.transaction import transaction
from portal.web import audit, eherkenning
from portal.web import sessions as auth_sessions
from portal.web.access import public

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


@bp.get("/inloggen")
@public
def login():
    """The login page: one button to eHerkenning."""
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    return render_template(
        "auth/login.html",
        form=EmptyForm(),
        verlopen=request.args.get("verlopen") == "1",
        uitgelogd=request.args.get("uitgelogd") == "1",
    )


@bp.post("/inloggen")
@public
@limiter.limit(_login_limit)
def start():
    """Begin an eHerkenning login with a fresh one-time state."""
    form = EmptyForm()
    if not form.validate_on_submit():
        return redirect(url_for("auth.login"))
    try:
        return redirect(eherkenning.begin())
    except eherkenning.LoginGeweigerd as refused:
        return render_template("auth/geweigerd.html", melding=refused.melding), 503


@bp.get("/inloggen/eherkenning")
@public
@limiter.limit(_login_limit)
def assertion_consumer():
    """Where the broker returns the browser with its signed assertion."""
    try:
        identiteit = eherkenning.complete(request.args.get("assertion", ""))
    except eherkenning.LoginGeweigerd as refused:
        with transaction():
            audit.record("login_geweigerd", "login", uitkomst="geweigerd", details={"reden": refused.code})
        status = 403 if refused.code == "niveau_te_laag" else 400
        return render_template("auth/geweigerd.html", melding=refused.melding), status

    gebruiker = db.session.scalar(
        select(Gebruiker).where(
            Gebruiker.kvk_nummer == identiteit.kvk_nummer,
            Gebruiker.pseudoniem == identiteit.pseudoniem,
        )
    )
    if gebruiker is None:
        with transaction():
            audit.record(
                "login_geweigerd",
                "login",
                uitkomst="geweigerd",
                details={"reden": "geen_account", "kvk_nummer": identiteit.kvk_nummer},
            )
        aanvragen.onthoud_identiteit(identiteit.kvk_nummer, identiteit.pseudoniem)
        return render_template("auth/geen_account.html", kvk_nummer=identiteit.kvk_nummer), 403
    if not gebruiker.actief:
        with transaction():
            audit.record(
                "login_geweigerd",
                "login",
                gebruiker=gebruiker,
                uitkomst="geweigerd",
                details={"reden": "account_gedeactiveerd"},
            )
        return render_template(
            "auth/geweigerd.html",
            melding="Uw MijnZZ Zakelijk account is gedeactiveerd. Neem contact op met de "
            "accountbeheerder van uw organisatie.",
        ), 403
    with transaction():
        auth_sessions.start(gebruiker, identiteit.niveau)
        audit.record("login", "login", details={"niveau": identiteit.niveau})
    return redirect(url_for("dashboard.index"))


@bp.post("/uitloggen")
def logout():
    """End the session on the server; the old cookie is worthless afterwards."""
    form = EmptyForm()
    if form.validate_on_submit():
        with transaction():
            audit.record("logout", "logout")
            auth_sessions.end("uitgelogd")
    return redirect(url_for("auth.login", uitgelogd=1))
