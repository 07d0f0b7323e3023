"""Huidige deelnemers: search, details, direct afmelden and the full-list downloads.

The search is a POST form (a BSN never travels in a URL); without a BSN the POST answers with
a redirect to the same search as a shareable GET URL, and htmx gets that URL to push.
"""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select

from portal.documents import exports
from portal.domain import afmelden as afmeld_regels
from portal.domain import zoeken
from portal.domain.dates import Venster, vandaag
from portal.domain.formatting import datum
from portal.domain.fouten import Afgekeurd
from portal.domain.validation import lees_datum
from portal.extensions import db, limiter
from portal.forms import zet_fouten
from portal.forms.deelnemers import AfmeldForm, ZoekForm
from portal.models import Bericht, Deelname, Melding, Persoon, Polis
from portal.transaction import transaction
from portal.web import access, audit, downloads, paginering
from portal.web.htmx import is_htmx

bp = Blueprint("deelnemers", __name__)

KOLOMMEN = [
    exports.Kolom("Contract", 10),
    exports.Kolom("Volledige naam", 32),
    exports.Kolom("BSN", 12),
    exports.Kolom("Relatienummer", 15),
    exports.Kolom("Geboortedatum", 14, exports.DATUM),
    exports.Kolom("Geslacht", 10),
    exports.Kolom("Ingangsdatum", 14, exports.DATUM),
    exports.Kolom("Einddatum", 14, exports.DATUM),
]


# -- search -------------------------------------------------------------------------------


@bp.get("/deelnemers")
@access.requires(access.ADMINISTRATIEF)
def index():
    """The screen, or (for htmx paging and sorting) just the results."""
    form = ZoekForm(request.args)
    form.bsn.data = ""  # a BSN is never taken from a URL
    return _zoek_en_toon(form, _scope(form.contract.data))


@bp.post("/deelnemers")
@access.requires(access.ADMINISTRATIEF)
def zoek():
    """The search form: htmx active search, or a plain POST without JavaScript."""
    form = ZoekForm(request.form)
    ids = _scope(form.contract.data)  # a foreign contract answers 404 before anything
    if not is_htmx() and not form.bsn.data and form.validate():
        return redirect(url_for("deelnemers.index", **form.url_params()), code=303)
    return _zoek_en_toon(form, ids)


def _scope(nummer: str | None) -> set[int]:
    """The chosen contract (404 if not the user's) or all the user's contracts."""
    if nummer:
        return {access.contract_id(nummer)}
    return access.contract_ids()


def _alle(nummer: str | None) -> int | None:
    """The user's id when the scope is all their contracts: the search then names them by a
    subquery instead of a list of ids."""
    return None if nummer else current_user.id


def _zoek_en_toon(form: ZoekForm, ids):
    contract_nummer = form.contract.data or None
    g.context_contract = contract_nummer
    resultaat = None
    if form.validate():
        resultaat = zoeken.zoek(form.opdracht(ids, _alle(contract_nummer)), vandaag())
        form.pagina.data = str(resultaat.pagina)
    context = {
        "form": form,
        "resultaat": resultaat,
        "contract": contract_nummer,
        "met_bsn": bool(form.bsn.data),
        "links": zoeklinks(form, resultaat) if resultaat else None,
    }
    status = 422 if form.errors else 200
    if is_htmx():
        html = render_template("deelnemers/_resultaten.html", fragment=True, **context)
    else:
        form.vul_contracten(access.contracten())
        html = render_template("deelnemers/index.html", **context)
    # Written after rendering: the commit would otherwise expire what the page still reads.
    if resultaat is not None:
        with transaction():
            audit.record(
                "deelnemers_zoeken",
                "read",
                relatienummers=[r.relatienummer for r in resultaat.rijen],
                contract_nummer=contract_nummer,
                details={"zoekopdracht": _zoekopdracht_voor_audit(form), "aantal": resultaat.aantal},
            )
    response = make_response(html, status)
    if is_htmx():
        # A BSN never goes in a URL: such a search pushes the bare screen; a failed one nothing.
        response.headers["HX-Push-Url"] = (
            "false"
            if form.errors
            else url_for(
                "deelnemers.index",
                **({"contract": form.contract.data} if form.bsn.data else form.url_params()),
            )
        )
    return response


def zoeklinks(form: ZoekForm, resultaat: zoeken.Resultaat) -> dict:
    """The hrefs of sorting, paging and downloads."""
    contract = {"contract": form.contract.data} if form.contract.data else {}
    return {
        **paginering.lijstlinks(
            url_for("deelnemers.index"),
            form,
            resultaat,
            ("geboortedatum", "ingangsdatum", "einddatum"),
            rondom=2,
        ),
        "xlsx": url_for("deelnemers.download_xlsx", **contract),
        "csv": url_for("deelnemers.download_csv", **contract),
    }


def _zoekopdracht_voor_audit(form: ZoekForm) -> dict:
    """The query as asked, with the BSN left out (only that one was given)."""
    return {**form.url_params(), "bsn": "opgegeven" if form.bsn.data else None}


# -- details --------------------------------------------------------------------------------


def _persoon(relatienummer: str) -> tuple[Persoon, list[Deelname]]:
    """The person with their deelnames in the user's contracts; 404 if they have none there."""
    persoon = db.session.scalar(select(Persoon).where(Persoon.relatienummer == relatienummer))
    deelnames = []
    if persoon is not None:
        deelnames = list(
            db.session.scalars(
                access.scope(
                    select(Deelname).where(Deelname.persoon_id == persoon.id), Deelname.contract_id
                ).order_by(Deelname.contract_id, Deelname.ingangsdatum)
            )
        )
    if not deelnames:
        if persoon is not None:
            with transaction():
                audit.record(
                    "toegang_geweigerd",
                    "access",
                    relatienummers=[relatienummer],
                    uitkomst="geweigerd",
                    details={"reden": "persoon buiten de contracten"},
                )
        abort(404)
    g.context_relatienummer = persoon.relatienummer
    return persoon, deelnames


@bp.get("/deelnemers/<relatienummer>")
@access.requires(access.ADMINISTRATIEF)
def details(relatienummer: str):
    """Bekijk alle details en acties voor deze deelnemer."""
    persoon, deelnames = _persoon(relatienummer)
    ids = access.contract_ids()
    eigen = {d.id for d in deelnames}
    hoofd_ids = {d.hoofd_deelname_id or d.id for d in deelnames}
    gezin = [
        d
        for d in db.session.scalars(
            select(Deelname)
            .where(
                (Deelname.id.in_(hoofd_ids)) | (Deelname.hoofd_deelname_id.in_(hoofd_ids)),
                Deelname.contract_id.in_(ids),
            )
            .order_by(Deelname.ingangsdatum)
        )
        if d.id not in eigen
    ]
    polissen = db.session.scalars(
        select(Polis)
        .where(Polis.persoon_id == persoon.id, Polis.contract_id.in_(ids))
        .order_by(Polis.ingangsdatum.desc())
    ).all()
    meldingen = db.session.scalars(
        select(Melding)
        .where(Melding.persoon_id == persoon.id, Melding.contract_id.in_(ids))
        .order_by(Melding.ontvangen_op.desc())
        .limit(50)
    ).all()
    berichten = db.session.scalars(
        select(Bericht)
        .where(Bericht.persoon_id == persoon.id, Bericht.contract_id.in_(ids))
        .order_by(Bericht.created_at.desc())
        .limit(50)
    ).all()
    contracten = sorted({d.contract.nummer for d in deelnames})
    if len(contracten) == 1:  # 'Stel een vraag' names the contract when there is one
        g.context_contract = contracten[0]
    with transaction():
        audit.record(
            "deelnemer_bekeken",
            "read",
            relatienummers=[persoon.relatienummer],
            details={"contracten": contracten},
        )
    return render_template(
        "deelnemers/details.html",
        persoon=persoon,
        deelnames=deelnames,
        gezin=gezin,
        polissen=polissen,
        meldingen=meldingen,
        berichten=berichten,
    )


# -- afmelden -------------------------------------------------------------------------------


def _deelname(relatienummer: str, contract_nummer: str) -> tuple[Persoon, Deelname]:
    """The person's newest deelname in this contract (404 outside the user's contracts)."""
    contract = access.get_contract(contract_nummer)
    persoon, deelnames = _persoon(relatienummer)
    in_contract = [d for d in deelnames if d.contract_id == contract.id]
    if not in_contract:
        abort(404)
    g.context_contract = contract.nummer
    open_ = [d for d in in_contract if d.einddatum is None]
    return persoon, (open_ or in_contract)[-1]


def _afmeld_form(persoon: Persoon, deelname: Deelname, eerste_keer: bool) -> tuple[AfmeldForm, list]:
    leden = afmeld_regels.gezinsleden(deelname) if deelname.rol == "hoofdverzekerde" else []
    form = AfmeldForm(prefix=f"af-{persoon.relatienummer}-{deelname.contract.nummer}")
    form.vul_gezinsleden(leden, eerste_keer)
    return form, leden


@bp.route("/deelnemers/<relatienummer>/afmelden/<contract>", methods=["GET", "POST"])
@access.requires(access.ADMINISTRATIEF)
def afmelden(relatienummer: str, contract: str):
    """Direct afmelden: the form (a row under the result, or a page) and its processing."""
    persoon, deelname = _deelname(relatienummer, contract)
    form, leden = _afmeld_form(persoon, deelname, eerste_keer=request.method == "GET")
    uitkomst = None
    if request.method == "POST" and form.validate_on_submit():
        mee = set(form.mee.data or [])
        behouden = {lid.id for lid in leden if lid.persoon.relatienummer not in mee}
        try:
            with transaction():
                uitkomst = afmeld_regels.afmelden(
                    deelname,
                    lees_datum(form.einddatum.data),
                    form.reden.data,
                    vandaag=vandaag(),
                    bron=f"portal:{current_user.id}",
                    behouden=behouden,
                    venster=Venster.uit_settings(current_app.config, "AFMELDING"),
                )
                audit.record(
                    "deelnemer_afmelden",
                    "update",
                    contract_nummer=contract,
                    relatienummers=[d.persoon.relatienummer for d in uitkomst.beeindigd],
                    details={"einddatum": uitkomst.einddatum.isoformat(), "reden": uitkomst.reden},
                )
        except Afgekeurd as afgekeurd:
            zet_fouten(afgekeurd.fouten, form, anders=form.einddatum)
            with transaction():
                audit.record(
                    "deelnemer_afmelden",
                    "update",
                    relatienummers=[relatienummer],
                    contract_nummer=contract,
                    uitkomst="afgekeurd",
                    details={"fouten": [f.code for f in afgekeurd.fouten]},
                )
    context = {
        "form": form,
        "persoon": persoon,
        "deelname": deelname,
        "leden": leden,
        "rij_id": f"rij-{persoon.relatienummer}-{contract}",
    }
    if uitkomst is not None:
        if is_htmx():
            context["rijen"] = [zoeken.rij(d.id) for d in uitkomst.beeindigd]
            context["bevestiging"] = _bevestiging(uitkomst)
            return render_template("deelnemers/_afgemeld.html", **context)
        flash(_bevestiging(uitkomst), "succes")
        return redirect(url_for("deelnemers.details", relatienummer=relatienummer), code=303)
    status = 422 if form.errors else 200
    template = "deelnemers/_afmeldrij.html" if is_htmx() else "deelnemers/afmelden.html"
    return render_template(template, **context), status


def _bevestiging(uitkomst: afmeld_regels.Afmelding) -> str:
    namen = ", ".join(d.persoon.volledige_naam for d in uitkomst.beeindigd)
    tekst = (
        f"Afmelding van {namen} voor contract {uitkomst.deelname.contract.nummer} is verwerkt. "
        f"De deelname loopt tot en met {datum(uitkomst.einddatum)}."
    )
    if uitkomst.polis_loopt_door:
        tekst += (
            " De zorgverzekering loopt door als individuele verzekering, zonder collectieve "
            f"korting vanaf {datum(uitkomst.einddatum + timedelta(days=1))}."
        )
    if uitkomst.polis_beeindigd:
        tekst += " De zorgverzekering eindigt na de overlijdensdatum."
    if uitkomst.nieuwe_hoofd is not None:
        tekst += f" {uitkomst.nieuwe_hoofd.persoon.volledige_naam} is nu hoofdverzekerde van het gezin."
    if uitkomst.zonder_hoofd:
        tekst += (
            " Zonder hoofdverzekerde blijven deelnemer: "
            + ", ".join(d.persoon.volledige_naam for d in uitkomst.zonder_hoofd)
            + "."
        )
    return tekst


# -- downloads ------------------------------------------------------------------------------


def _download(soort: str):
    contract = request.args.get("contract") or None
    ids = _scope(contract)  # the number is the user's own contract from here on
    peildatum = vandaag()
    naam = f"deelnemers-{contract or 'alle-contracten'}-{peildatum.isoformat()}"
    with transaction():
        audit.record(
            "deelnemers_downloaden",
            "export",
            contract_nummer=contract,
            details={
                "formaat": soort,
                "peildatum": peildatum.isoformat(),
                "alle_contracten": contract is None,
            },
        )
    rijen = zoeken.export_rijen(ids, peildatum, gebruiker_id=_alle(contract))
    if soort == "xlsx":
        return downloads.xlsx_download(KOLOMMEN, rijen, "Deelnemers", f"{naam}.xlsx")
    stroom = exports.csv_stroom(KOLOMMEN, rijen)
    response = Response(stream_with_context(stroom), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{naam}.csv"'
    return response


@bp.get("/deelnemers/download.xlsx")
@access.requires(access.ADMINISTRATIEF)
@limiter.limit(downloads.export_limiet, key_func=downloads.per_gebruiker)
def download_xlsx():
    """Download volledige lijst (Excel)."""
    return _download("xlsx")


@bp.get("/deelnemers/download.csv")
@access.requires(access.ADMINISTRATIEF)
@limiter.limit(downloads.export_limiet, key_func=downloads.per_gebruiker)
def download_csv():
    """Download volledige lijst (CSV)."""
    return _download("csv")
