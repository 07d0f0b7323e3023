"""Contract gebruik: deelnemers per month with in- and uitstroom, as a table, a chart and Excel."""

from __future__ import annotations

from flask import Blueprint, g, render_template, request, url_for

from portal.documents import exports
from portal.domain import stroom
from portal.domain.dates import eerste_dag, vandaag
from portal.forms.stroom import GebruikForm
from portal.transaction import transaction
from portal.web import access, audit, contractkeuze, downloads, grafiek

bp = Blueprint("gebruik", __name__)

KOLOMMEN = [
    exports.Kolom("Maand", 12),
    exports.Kolom("Aantal deelnemers (einde van deze maand)", 22, exports.GETAL),
    exports.Kolom("Verschil (t.o.v. vorige maand)", 18, exports.GETAL),
    exports.Kolom("Ingestroomd (in deze maand)", 18, exports.GETAL),
    exports.Kolom("Uitgestroomd (in deze maand)", 18, exports.GETAL),
]


def _cijfers():
    """The form, the user's contracts, the chosen contract and its figures (None on an error)."""
    form = GebruikForm(request.args)
    contracten = access.contracten()
    keuze = contractkeuze.kies(form.contract.data, contracten)
    if keuze.fout:
        form.contract.errors = [keuze.fout]
    if not form.validate():
        form.periode.data = "12"
    contract = keuze.contract
    if contract is None:
        return form, contracten, None, None, None
    g.context_contract = contract.nummer
    dag = vandaag()
    # Through the current month, or the contract's last month if it has ended.
    laatste = min(dag, contract.einddatum or dag)
    periode = form.gekozen_periode(contract.ingangsdatum, eerste_dag(laatste))
    return form, contracten, contract, periode, stroom.gebruik(contract.id, periode)


@bp.get("/contract-gebruik")
@access.requires(access.ADMINISTRATIEF, access.FINANCIEEL)
def index():
    form, contracten, contract, periode, cijfers = _cijfers()
    context = {
        "form": form,
        "contracten": contracten,
        "contract": contract,
        "periode": periode,
        "cijfers": cijfers,
        "keuzelijst": contractkeuze.als_lijst(contracten),
    }
    if contract is not None:
        context["huidig"] = stroom.aantal_op(contract.id, vandaag())
        context["grafiek"] = grafiek.maak(cijfers)
        context["download"] = url_for("gebruik.download", contract=contract.nummer, periode=form.periode.data)
    html = render_template("gebruik/index.html", **context)
    # Written after rendering: the commit would otherwise expire the contracts the page lists.
    if contract is not None:
        with transaction():
            audit.record(
                "contract_gebruik",
                "read",
                contract_nummer=contract.nummer,
                details={"periode": form.periode.data},
            )
    return html, 422 if form.errors else 200


@bp.get("/contract-gebruik/download.xlsx")
@access.requires(access.ADMINISTRATIEF, access.FINANCIEEL)
def download():
    """The table as Excel (figures only, no personal data)."""
    form, _, contract, periode, cijfers = _cijfers()
    if contract is None:
        return index()
    with transaction():
        audit.record(
            "contract_gebruik",
            "export",
            contract_nummer=contract.nummer,
            details={"periode": form.periode.data},
        )
    rijen = ((m.label, m.aantal, m.verschil, m.instroom, m.uitstroom) for m in cijfers)
    naam = (
        f"contract-gebruik-{contract.nummer}-{periode.van.strftime('%Y%m')}-"
        f"{periode.tot.strftime('%Y%m')}.xlsx"
    )
    return downloads.xlsx_download(KOLOMMEN, rijen, "Contract gebruik", naam)
