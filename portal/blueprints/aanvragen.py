"""MijnZZ Zakelijk account aanvragen: for someone who logged in with eHerkenning but has no account.

The request carries the eHerkenning identity that was just verified (kept in the signed session
by the no-account page), so an approved account is always one a real login reaches. From the
login page the form first sends the visitor through eHerkenning.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, session

from portal.domain import accounts
from portal.domain.accounts import AccountFout
from portal.extensions import limiter
from portal.forms import EmptyForm
from portal.forms.accounts import AanvraagForm
from portal.transaction import transaction
from portal.web import audit
from portal.web.access import public

bp = Blueprint("aanvragen", __name__)

IDENTITEIT = "aanvraag_identiteit"


def onthoud_identiteit(kvk_nummer: str, pseudoniem: str) -> None:
    """Called by the login when an identity has no account yet."""
    session[IDENTITEIT] = {"kvk": kvk_nummer, "pseudoniem": pseudoniem}


def _limiet() -> str:
    return current_app.config.get("RATELIMIT_AANVRAAG", "10 per hour")


@bp.route("/account-aanvragen", methods=["GET", "POST"])
@public
@limiter.limit(_limiet, methods=["POST"])
def nieuw():
    identiteit = session.get(IDENTITEIT)
    if not identiteit:
        return render_template("aanvragen/eerst_inloggen.html", form=EmptyForm())
    form = AanvraagForm()
    algemeen = None
    if form.validate_on_submit():
        try:
            with transaction():
                aanvraag = accounts.aanvragen(
                    organisatie_naam=form.organisatie.data,
                    kvk_nummer=identiteit["kvk"],
                    naam=form.naam.data,
                    email=form.email.data,
                    pseudoniem=identiteit["pseudoniem"],
                    rollen=form.rollen.data,
                    contracten=form.contracten.data,
                    wie=audit.wie(),
                    toegang=audit.toegang(),
                )
        except AccountFout as refused:
            algemeen = refused.bericht
        else:
            session.pop(IDENTITEIT, None)
            return render_template(
                "aanvragen/ontvangen.html",
                aanvraag=aanvraag,
                bij_beheerder=bool(aanvraag.organisatie_id and accounts.beheerders(aanvraag.organisatie_id)),
            )
    status = 422 if (form.errors or algemeen) else 200
    if status == 422:
        with transaction():
            audit.record(
                "account_aanvraag_geweigerd",
                "create",
                uitkomst="geweigerd",
                details={"velden": sorted(form.errors)},
            )
    return render_template(
        "aanvragen/nieuw.html", form=form, kvk_nummer=identiteit["kvk"], algemeen=algemeen
    ), status
