"""Accountbeheer: the accounts of the accountbeheerder's organisation, requests to approve, and
the digital coupling's credentials. The rules are in ``portal.domain.accounts``; each view reads
the form, calls one rule and shows the outcome."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.blueprints.koppeling import eigen_profielen
from portal.domain import accounts
from portal.domain.accounts import AccountFout
from portal.forms import EmptyForm, zet_fouten
from portal.forms.accounts import AccountForm, AfwijzenForm, RechtenForm
from portal.transaction import transaction
from portal.web import access, audit

bp = Blueprint("accounts", __name__)


def _account(account_id: int):
    return accounts.vind(current_user, account_id) or abort(404)


def _aanvraag(aanvraag_id: int):
    return accounts.vind_aanvraag(current_user, aanvraag_id) or abort(404)


@bp.get("/accountbeheer")
@access.requires(access.ACCOUNTBEHEER)
def index():
    lijst = accounts.accounts(current_user.organisatie_id)
    html = render_template(
        "accounts/index.html",
        accounts=lijst,
        knop=EmptyForm(),
        aanvragen=accounts.open_aanvragen(current_user.organisatie_id),
        profielen=eigen_profielen(),
    )
    with transaction():
        audit.record("accounts_bekeken", "read", details={"aantal": len(lijst)})
    return html


def _toekenbaar():
    return accounts.toekenbaar(current_user, current_user.organisatie_id)


@bp.route("/accountbeheer/nieuw", methods=["GET", "POST"])
@access.requires(access.ACCOUNTBEHEER)
def nieuw():
    """An account for a colleague: name, e-mail, the eHerkenning identity, roles, contracts."""
    form = AccountForm()
    form.vul_contracten(_toekenbaar())
    fout = None
    if form.validate_on_submit():
        try:
            with transaction():
                account = accounts.aanmaken(
                    current_user,
                    current_user.organisatie,
                    naam=form.naam.data,
                    email=form.email.data,
                    pseudoniem=form.pseudoniem.data,
                    rechten=form.rechten(),
                    toegang=audit.toegang(),
                )
        except AccountFout as refused:
            fout = refused
        else:
            flash(f"Het account van {account.naam} is aangemaakt.", "succes")
            return redirect(url_for("accounts.index"), 303)
    return _formulier("accounts/nieuw.html", form, fout)


def _formulier(template: str, form, fout: AccountFout | None, **context):
    overig = zet_fouten(fout.fouten, form).overig if fout else []
    algemeen = overig[0].bericht if overig else None
    status = 422 if fout or form.errors else 200
    return render_template(template, form=form, algemeen=algemeen, **context), status


@bp.route("/accountbeheer/<int:account_id>/bewerken", methods=["GET", "POST"])
@access.requires(access.ACCOUNTBEHEER)
def bewerken(account_id: int):
    """'Bewerken': tick the roles and contracts, then 'Account bewerken'."""
    account = _account(account_id)
    toekenbaar = _toekenbaar()
    form = RechtenForm()
    form.vul_contracten(toekenbaar)
    fout = None
    if form.validate_on_submit():
        try:
            with transaction():
                accounts.wijzigen(current_user, account, form.rechten(), toegang=audit.toegang())
        except AccountFout as refused:
            fout = refused
        else:
            flash(f"Het account van {account.naam} is gewijzigd.", "succes")
            return redirect(url_for("accounts.index"), 303)
    elif not form.is_submitted():
        form.rollen.data = sorted(account.rollen)
        form.contracten.data = [str(c.id) for c in account.contracten if c in toekenbaar]
    buiten = [c for c in account.contracten if c not in toekenbaar]
    return _formulier("accounts/bewerken.html", form, fout, account=account, buiten=buiten)


def _knop(actie, account_id: int, gelukt: str):
    account = _account(account_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        with transaction():
            actie(current_user, account, toegang=audit.toegang())
    except AccountFout as refused:
        flash(refused.bericht, "fout")
    else:
        flash(gelukt.format(naam=account.naam), "succes")
    return redirect(url_for("accounts.index"), 303)


@bp.post("/accountbeheer/<int:account_id>/deactiveren")
@access.requires(access.ACCOUNTBEHEER)
def deactiveren(account_id: int):
    return _knop(
        accounts.deactiveren,
        account_id,
        "Het account van {naam} is gedeactiveerd; een lopende sessie is beëindigd.",
    )


@bp.post("/accountbeheer/<int:account_id>/activeren")
@access.requires(access.ACCOUNTBEHEER)
def activeren(account_id: int):
    return _knop(accounts.activeren, account_id, "Het account van {naam} is weer actief.")


@bp.route("/accountbeheer/<int:account_id>/verwijderen", methods=["GET", "POST"])
@access.requires(access.ACCOUNTBEHEER)
def verwijderen(account_id: int):
    """A confirmation first: removing cannot be undone (a new account can be made)."""
    account = _account(account_id)
    form = EmptyForm()
    if form.validate_on_submit():
        return _knop(accounts.verwijderen, account_id, "Het account van {naam} is verwijderd.")
    return render_template("accounts/verwijderen.html", account=account, form=form)


def _goedkeuring(verzoek, voorstel: bool) -> RechtenForm:
    """The approval form; with ``voorstel``, ticked with the wished roles and the grantable
    contracts the requester named."""
    toekenbaar = _toekenbaar()
    form = RechtenForm()
    form.vul_contracten(toekenbaar)
    if voorstel:
        form.rollen.data = list(verzoek.gewenste_rollen or [])
        form.contracten.data = [str(i) for i in accounts.voorgestelde_contracten(verzoek, toekenbaar)]
    return form


@bp.route("/accountbeheer/aanvragen/<int:aanvraag_id>", methods=["GET", "POST"])
@access.requires(access.ACCOUNTBEHEER)
def aanvraag(aanvraag_id: int):
    """Approve a request with the chosen roles and contracts (or go on to reject it)."""
    verzoek = _aanvraag(aanvraag_id)
    form = _goedkeuring(verzoek, voorstel=request.method != "POST")
    fout = None
    if form.validate_on_submit():
        try:
            with transaction():
                account = accounts.goedkeuren(current_user, verzoek, form.rechten(), toegang=audit.toegang())
        except AccountFout as refused:
            fout = refused
        else:
            flash(f"De aanvraag is goedgekeurd: {account.naam} kan nu inloggen met eHerkenning.", "succes")
            return redirect(url_for("accounts.index"), 303)
    return _formulier("accounts/aanvraag.html", form, fout, aanvraag=verzoek, afwijzen=AfwijzenForm())


@bp.post("/accountbeheer/aanvragen/<int:aanvraag_id>/afwijzen")
@access.requires(access.ACCOUNTBEHEER)
def afwijzen(aanvraag_id: int):
    verzoek = _aanvraag(aanvraag_id)
    afwijzen_form = AfwijzenForm()
    fout = None
    if afwijzen_form.validate_on_submit():
        try:
            with transaction():
                accounts.afwijzen(current_user, verzoek, afwijzen_form.reden.data, toegang=audit.toegang())
        except AccountFout as refused:
            fout = refused
        else:
            flash(f"De aanvraag van {verzoek.naam} is afgewezen.", "succes")
            return redirect(url_for("accounts.index"), 303)
    if fout:
        zet_fouten(fout.fouten, afwijzen_form, anders=afwijzen_form.reden)
    return render_template(
        "accounts/aanvraag.html",
        form=_goedkeuring(verzoek, voorstel=True),
        algemeen=None,
        aanvraag=verzoek,
        afwijzen=afwijzen_form,
    ), 422
