"""Borderellen: per contract the monthly borderel (CSV) and factuur (PDF), for a calendar year."""

from __future__ import annotations

import io

from flask import Blueprint, abort, g, render_template, request, send_file
from sqlalchemy import select
from sqlalchemy.orm import defer, selectinload

from portal.documents.borderel import lees_csv
from portal.domain.dates import eerste_dag, maandnaam, vandaag
from portal.extensions import db
from portal.models import Borderel, Factuur
from portal.transaction import transaction
from portal.web import access, audit, contractkeuze

bp = Blueprint("borderellen", __name__)


def _vroegste_maand():
    """The first month still shown: the current month and the previous twelve."""
    maand = eerste_dag(vandaag())
    return maand.replace(year=maand.year - 1)


@bp.get("/borderellen")
@access.requires(access.FINANCIEEL)
def index():
    contracten = access.contracten()
    keuze = contractkeuze.kies(request.args.get("contract"), contracten)
    lijst = []
    if keuze.contract is not None:
        g.context_contract = keuze.contract.nummer
        # The list needs names, dates and totals, not the files (megabytes for a big contract).
        lijst = db.session.scalars(
            select(Borderel)
            .where(Borderel.contract_id == keuze.contract.id, Borderel.periode >= _vroegste_maand())
            .options(defer(Borderel.inhoud), selectinload(Borderel.factuur).defer(Factuur.pdf))
            .order_by(Borderel.periode.desc(), Borderel.id.desc())
        ).all()
    return render_template(
        "borderellen/index.html",
        contracten=contracten,
        contract=keuze.contract,
        fout=keuze.fout,
        keuzelijst=contractkeuze.als_lijst(contracten),
        borderellen=lijst,
        maandnaam=maandnaam,
    ), 422 if keuze.fout else 200


def _borderel(borderel_id: int) -> Borderel:
    """A borderel of the user's contracts still shown on the screen; 404 otherwise."""
    borderel = db.session.get(Borderel, borderel_id, options=[defer(Borderel.inhoud)])
    if (
        borderel is None
        or borderel.contract_id not in access.contract_ids()
        or borderel.periode < _vroegste_maand()
    ):
        abort(404)
    return borderel


@bp.get("/borderellen/<int:borderel_id>/borderel.csv")
@access.requires(access.FINANCIEEL)
def borderel_csv(borderel_id: int):
    borderel = _borderel(borderel_id)
    nummer = borderel.contract.nummer
    inhoud, naam = lees_csv(borderel), borderel.bestandsnaam
    with transaction():
        audit.record("borderel_downloaden", "export", contract_nummer=nummer, details={"borderel": naam})
    return send_file(
        io.BytesIO(inhoud), as_attachment=True, download_name=naam, mimetype="text/csv; charset=utf-8"
    )


@bp.get("/borderellen/<int:borderel_id>/factuur.pdf")
@access.requires(access.FINANCIEEL)
def factuur_pdf(borderel_id: int):
    borderel = _borderel(borderel_id)
    factuur = borderel.factuur
    if factuur is None:
        abort(404)
    nummer = borderel.contract.nummer
    pdf, naam = factuur.pdf, f"factuur-{factuur.factuurnummer}.pdf"
    with transaction():
        audit.record(
            "factuur_downloaden", "export", contract_nummer=nummer, details={"factuur": factuur.factuurnummer}
        )
    return send_file(io.BytesIO(pdf), as_attachment=True, download_name=naam, mimetype="application/pdf")
