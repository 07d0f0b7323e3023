"""In- en uitstroomlijsten: who came in and went out of a contract in a period, live.

A GET form (shareable URL, working back button); htmx swaps only the list when the user pages
or sorts. The download takes the same parameters.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)

from portal.documents import exports
from portal.domain import stroom
from portal.domain.dates import vandaag
from portal.extensions import limiter
from portal.forms.stroom import StroomForm
from portal.transaction import transaction
from portal.web import access, audit, contractkeuze, downloads, paginering
from portal.web.htmx import is_htmx

bp = Blueprint("stroom", __name__)

KOLOMMEN = [
    exports.Kolom("Contract", 10),
    exports.Kolom("Naam", 32),
    exports.Kolom("BSN", 12),
    exports.Kolom("Relatienummer", 15),
    exports.Kolom("Geboortedatum", 14, exports.DATUM),
    exports.Kolom("Ingangsdatum", 14, exports.DATUM),
    exports.Kolom("Einddatum", 14, exports.DATUM),
    exports.Kolom("In/uit in de periode", 12),
    exports.Kolom("Reden einde", 22),
]


def _formulier():
    """The form from the URL, its contract, and whether the list can be shown."""
    form = StroomForm(request.args)
    contracten = access.contracten()
    keuze = contractkeuze.kies(form.contract.data, contracten)
    contract = keuze.contract
    if keuze.fout:
        form.contract.errors = [keuze.fout]
    eerste_jaar = contract.ingangsdatum.year if contract else vandaag().year
    form.vul_periodes(eerste_jaar, vandaag().year)
    geldig = form.validate() and contract is not None
    if contract is not None:
        g.context_contract = contract.nummer
    return form, contracten, contract, geldig


@bp.get("/in-en-uitstroomlijsten")
@access.requires(access.ADMINISTRATIEF)
def index():
    """The choice of contract, period and view; with ``periode`` in the URL also the list."""
    form, contracten, contract, geldig = _formulier()
    bekijken = "periode" in request.args
    lijst = None
    if bekijken and geldig:
        lijst = stroom.lijst(form.opdracht(contract.id))
        form.pagina.data = str(lijst.pagina)
    context = {
        "form": form,
        "contracten": contracten,
        "contract": contract,
        "lijst": lijst,
        "keuzelijst": contractkeuze.als_lijst(contracten),
        "periode": form.gekozen_periode() if lijst is not None else None,
        "links": _links(form, lijst) if lijst is not None else None,
    }
    fouten = bekijken and bool(form.errors)
    if is_htmx() and lijst is not None:
        html = render_template("stroom/_lijst.html", **context)
    else:
        html = render_template("stroom/index.html", toon_fouten=fouten, **context)
    if lijst is not None:
        with transaction():
            audit.record(
                "stroomlijst_bekeken",
                "read",
                contract_nummer=contract.nummer,
                relatienummers=[r.relatienummer for r in lijst.rijen],
                details={**form.url_params(), "aantal": lijst.aantal},
            )
    return make_response(html, 422 if fouten else 200)


def _links(form: StroomForm, lijst) -> dict:
    return {
        **paginering.lijstlinks(
            url_for("stroom.index"), form, lijst, ("naam", "geboortedatum", "ingangsdatum", "einddatum")
        ),
        "xlsx": paginering.url(url_for("stroom.download"), form.url_params(pagina=None)),
    }


@bp.get("/in-en-uitstroomlijsten/download.xlsx")
@access.requires(access.ADMINISTRATIEF)
@limiter.limit(downloads.export_limiet, key_func=downloads.per_gebruiker)
def download():
    """Download deze in- en uitstroomlijst (Excel), in the order shown on screen."""
    form, _, contract, geldig = _formulier()
    if not geldig:  # back to the screen, which shows what to correct
        return redirect(
            url_for("stroom.index", **{**request.args.to_dict(), "periode": form.periode.data}), 303
        )
    opdracht = form.opdracht(contract.id)
    periode = opdracht.periode
    with transaction():
        audit.record(
            "stroomlijst_downloaden",
            "export",
            contract_nummer=contract.nummer,
            details=form.url_params(pagina=None),
        )
    naam = (
        f"in-en-uitstroom-{contract.nummer}-{periode.van.strftime('%Y%m')}-"
        f"{periode.tot.strftime('%Y%m')}{'-alle' if opdracht.alle else ''}.xlsx"
    )
    return downloads.xlsx_download(KOLOMMEN, stroom.export_rijen(opdracht), "In- en uitstroom", naam)
