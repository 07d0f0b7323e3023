"""Verwerkingsverslagen: per upload and per day of API meldingen, on screen and as Excel."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, g, render_template, request, url_for

from portal.intake import uploads, verslagen
from portal.models import Upload
from portal.transaction import transaction
from portal.web import access, audit, downloads

bp = Blueprint("verslagen", __name__)


@bp.get("/verwerkingsverslagen")
@access.requires(access.ADMINISTRATIEF)
def index():
    contracten = access.contracten()
    gekozen = request.args.get("contract")
    if gekozen:
        contract = access.get_contract(gekozen)
        contracten = [contract]
        g.context_contract = contract.nummer
    return render_template(
        "verslagen/index.html",
        verslagen=verslagen.overzicht(contracten),
        contracten=access.contracten(),
        gekozen=gekozen or "",
    )


def _upload(token: str) -> Upload:
    return uploads.zichtbaar(token, access.contract_ids()) or abort(404)


def _dag(tekst: str) -> date:
    try:
        return date.fromisoformat(tekst)
    except ValueError:
        abort(404)


def _audit(regels, contract, export: bool, **details) -> None:
    with transaction():
        audit.record(
            "verwerkingsverslag",
            "export" if export else "read",
            contract_nummer=contract.nummer,
            relatienummers=sorted({r.relatienummer for r in regels if r.relatienummer}),
            details=details,
        )


def _toon(titel: str, contract, regels, download: str):
    g.context_contract = contract.nummer
    return render_template(
        "verslagen/verslag.html",
        titel=titel,
        contract=contract,
        regels=regels,
        download=download,
        labels=verslagen.SOORT_LABELS,
        verwerkt=sum(r.status == "verwerkt" for r in regels),
    )


def _excel(regels, naam: str):
    return downloads.xlsx_download(
        verslagen.KOLOMMEN, verslagen.export_rijen(regels), "Verslag", f"{naam}.xlsx"
    )


@bp.get("/verwerkingsverslagen/upload/<token>")
@access.requires(access.ADMINISTRATIEF)
def upload(token: str):
    u = _upload(token)
    regels = verslagen.upload_regels(u)
    _audit(regels, u.contract, False, upload=u.opslag_naam)
    return _toon(
        f"Upload {u.oorspronkelijke_naam}", u.contract, regels, url_for(".upload_excel", token=u.opslag_naam)
    )


@bp.get("/verwerkingsverslagen/upload/<token>.xlsx")
@access.requires(access.ADMINISTRATIEF)
def upload_excel(token: str):
    u = _upload(token)
    regels = verslagen.upload_regels(u)
    _audit(regels, u.contract, True, upload=u.opslag_naam)
    return _excel(regels, f"verwerkingsverslag-upload-{u.created_at:%Y%m%d}-{u.contract.nummer}")


@bp.get("/verwerkingsverslagen/api/<contract>/<dag>")
@access.requires(access.ADMINISTRATIEF)
def api(contract: str, dag: str):
    c = access.get_contract(contract)
    datum = _dag(dag)
    regels = verslagen.api_regels(c, datum)
    _audit(regels, c, False, dag=dag)
    return _toon(
        f"Digitale meldingen van {datum:%d-%m-%Y}",
        c,
        regels,
        url_for(".api_excel", contract=c.nummer, dag=datum.isoformat()),
    )


@bp.get("/verwerkingsverslagen/api/<contract>/<dag>.xlsx")
@access.requires(access.ADMINISTRATIEF)
def api_excel(contract: str, dag: str):
    c = access.get_contract(contract)
    datum = _dag(dag)
    regels = verslagen.api_regels(c, datum)
    _audit(regels, c, True, dag=dag)
    return _excel(regels, f"verwerkingsverslag-api-{datum:%Y%m%d}-{c.nummer}")
