"""Mislukte verwerkingen: every afgekeurde melding still open, from any channel; correct it in
place and submit it again through the intake pipeline, or put it aside with a reason."""

from __future__ import annotations

import hashlib
import json

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from sqlalchemy import func, select

from portal.domain import intake
from portal.domain.dates import Vensters
from portal.domain.fouten import Fout
from portal.domain.pagina import Pagina
from portal.extensions import db
from portal.forms import zet_fouten
from portal.forms.mislukt import VELDEN, VerwijderForm, als_gegevens, correctie_form, veldnaam
from portal.intake.bestand import KOP_VAN_PAD
from portal.intake.verslagen import SOORT_LABELS
from portal.models import Contract, Melding, Persoon
from portal.models.types import utcnow
from portal.transaction import transaction
from portal.web import access, audit, paginering

bp = Blueprint("mislukt", __name__)

PER_PAGINA = 50
KANAAL_LABELS = {"api": "Koppeling", "upload": "Upload", "correctie": "Correctie", "portal": "Portaal"}


def _open(contract_ids):
    return (
        Melding.contract_id.in_(contract_ids),
        Melding.status == "afgekeurd",
        Melding.afgehandeld_op.is_(None),
    )


@bp.get("/mislukte-verwerkingen")
@access.requires(access.ADMINISTRATIEF)
def index():
    ids = access.contract_ids()
    gekozen = request.args.get("contract") or ""
    if gekozen:
        contract = access.get_contract(gekozen)
        ids = {contract.id}
        g.context_contract = contract.nummer
    aantal = db.session.scalar(select(func.count()).select_from(Melding).where(*_open(ids))) if ids else 0
    pagina = Pagina.kies(request.args.get("pagina", 1, type=int), PER_PAGINA, aantal)
    meldingen = (
        db.session.scalars(
            select(Melding)
            .where(*_open(ids))
            .order_by(Melding.ontvangen_op.desc(), Melding.id.desc())
            .offset(pagina.vanaf)
            .limit(pagina.per_pagina)
        ).all()
        if ids
        else []
    )
    basis = url_for("mislukt.index")
    filter_ = {"contract": gekozen} if gekozen else {}
    # Every page is linked: a list to work through, seldom more than a few pages.
    links = paginering.links(
        pagina.nummer,
        pagina.paginas,
        rondom=pagina.paginas,
        href=lambda n: paginering.url(basis, {**filter_, "pagina": n}),
    )
    return render_template(
        "mislukt/index.html",
        meldingen=meldingen,
        aantal=aantal,
        pagina=pagina.nummer,
        paginas=pagina.paginas,
        links=links,
        contracten=access.contracten(),
        gekozen=gekozen,
        kanalen=KANAAL_LABELS,
        soorten=SOORT_LABELS,
    )


def _melding(kenmerk: str) -> Melding:
    melding = db.session.scalar(select(Melding).where(Melding.kenmerk == kenmerk))
    if melding is None or melding.contract_id not in access.contract_ids() or melding.status != "afgekeurd":
        abort(404)
    return melding


def _velden(form):
    """The field of a melding's path on the correction form, or None."""
    return lambda pad: form[veldnaam(pad)] if veldnaam(pad) in form else None


def _pagina(melding: Melding, form=None, verwijder=None, status: int = 200):
    form = form or correctie_form(melding.soort, melding.gegevens)
    overig = []
    if not form.errors:  # each error above its field; the rest (no field here) in the summary only
        overig = zet_fouten([Fout.uit(f) for f in melding.fouten or []], _velden(form)).overig
    g.context_contract = db.session.scalar(select(Contract.nummer).where(Contract.id == melding.contract_id))
    html = render_template(
        "mislukt/melding.html",
        melding=melding,
        form=form,
        overig=overig,
        velden=[veldnaam(p) for p in VELDEN[melding.soort]],
        verwijder=verwijder or VerwijderForm(),
        kanalen=KANAAL_LABELS,
        soorten=SOORT_LABELS,
        koppen=KOP_VAN_PAD,
    )
    return html, status


@bp.get("/mislukte-verwerkingen/<kenmerk>")
@access.requires(access.ADMINISTRATIEF)
def melding(kenmerk: str):
    m = _melding(kenmerk)
    with transaction():
        audit.record(
            "mislukte_verwerking", "read", relatienummers=_relatienummers(m), details={"melding": m.kenmerk}
        )
    return _pagina(m)


def _relatienummers(melding: Melding) -> list[str]:
    if melding.persoon_id is None:
        return []
    nummer = db.session.scalar(select(Persoon.relatienummer).where(Persoon.id == melding.persoon_id))
    return [nummer] if nummer else []


@bp.post("/mislukte-verwerkingen/<kenmerk>")
@access.requires(access.ADMINISTRATIEF)
def corrigeren(kenmerk: str):
    origineel = _melding(kenmerk)
    if origineel.afgehandeld_op is not None:
        return _pagina(origineel, status=409)
    form = correctie_form(origineel.soort)
    if not form.validate_on_submit():
        return _pagina(origineel, form, status=422)
    gegevens = als_gegevens(form, origineel.soort, origineel.gegevens.get("collectiviteitsnummer", ""))
    # The same correction submitted twice is one melding: its id follows from its content.
    inhoud = json.dumps(gegevens, sort_keys=True).encode()
    gegevens["melding_id"] = "c-" + hashlib.sha256(inhoud).hexdigest()[:30]
    try:
        nieuw = intake.MeldingIn.uit_json(gegevens)
    except intake.GeenMelding as exc:  # a control character typed into a field
        zet_fouten(exc.fouten, _velden(form), anders=form[veldnaam(VELDEN[origineel.soort][0])])
        return _pagina(origineel, form, status=422)
    afzender = intake.Afzender(
        kanaal="correctie",
        bron=f"correctie:{origineel.id}",
        contract_ids=frozenset(access.contract_ids()),
        wie=audit.wie(),
        toegang=audit.toegang(),
    )
    # The correction and the original's handling are saved together.
    with transaction():
        uitkomst = intake.ontvang(nieuw, afzender, vensters=Vensters.uit_settings(current_app.config)).melding
        origineel.afgehandeld_op = utcnow()
        verwerkt = uitkomst.status == "verwerkt"
        origineel.afhandeling = (
            "Gecorrigeerd en verwerkt" if verwerkt else "Verbeterd; de nieuwe poging is ook afgekeurd"
        )
    if verwerkt:
        relatienummer = (uitkomst.antwoord or {}).get("relatienummer")
        flash(f"De melding is verbeterd en verwerkt (relatienummer {relatienummer}).", "succes")
        return redirect(url_for(".index"), code=303)
    flash("De verbeterde melding is opnieuw afgekeurd. Bekijk de meldingen hieronder.", "fout")
    return redirect(url_for(".melding", kenmerk=uitkomst.kenmerk), code=303)


@bp.post("/mislukte-verwerkingen/<kenmerk>/verwijderen")
@access.requires(access.ADMINISTRATIEF)
def verwijderen(kenmerk: str):
    m = _melding(kenmerk)
    verwijder = VerwijderForm()
    if m.afgehandeld_op is not None:
        return _pagina(m, status=409)
    if not verwijder.validate_on_submit():
        return _pagina(m, verwijder=verwijder, status=422)
    with transaction():
        m.afgehandeld_op, m.afhandeling = utcnow(), f"Niet verwerkt: {verwijder.reden.data}"
        audit.record(
            "mislukte_verwerking",
            "update",
            relatienummers=_relatienummers(m),
            details={"melding": m.kenmerk, "afhandeling": "niet verwerkt"},
        )
    flash("De melding staat niet meer bij Mislukte verwerkingen.", "succes")
    return redirect(url_for(".index"), code=303)
