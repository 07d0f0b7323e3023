"""Berichten: the contract's notices and the user's own, newest first, with what is unread.

A GET form (contract, categorie) with a shareable URL; htmx swaps only the list when the user
filters or pages. "Markeer als gelezen" swaps the one row.
"""

from __future__ import annotations

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask_login import current_user

from portal.domain import berichten
from portal.forms import EmptyForm
from portal.forms.berichten import BerichtenFilter
from portal.transaction import transaction
from portal.web import access, audit, contractkeuze, paginering
from portal.web.htmx import is_htmx

bp = Blueprint("berichten", __name__)


def _filter():
    form = BerichtenFilter(request.args)
    contracten = access.contracten()
    contract = None
    if form.contract.data:
        contract = contractkeuze.op_nummer(form.contract.data, contracten)
        g.context_contract = contract.nummer
    ids = access.contract_ids()
    form.vul(contracten, berichten.categorieen(current_user, ids, getattr(contract, "id", None)))
    return form, contracten, contract


@bp.get("/berichten")
@access.requires(*access.ELKE_ROL)
def index():
    form, contracten, contract = _filter()
    lijst = berichten.lijst(
        current_user,
        access.contract_ids(),
        contract_id=getattr(contract, "id", None),
        categorie=form.categorie.data or "",
        pagina=form.pagina_getal,
        per_pagina=form.per_pagina_getal,
    )
    form.pagina.data = str(lijst.pagina)
    context = {
        "form": form,
        "contracten": contracten,
        "lijst": lijst,
        "knop": EmptyForm(),
        "links": paginering.lijstlinks(url_for("berichten.index"), form, lijst),
        "terug": request.full_path.rstrip("?"),
        "ongelezen": berichten.ongelezen(current_user, access.contract_ids()),
    }
    template = "berichten/_lijst.html" if is_htmx() else "berichten/index.html"
    html = render_template(template, **context)
    with transaction():
        audit.record(
            "berichten_bekeken",
            "read",
            contract_nummer=getattr(contract, "nummer", None),
            details={**form.url_params(), "aantal": lijst.aantal},
        )
    return html


def _terug() -> str:
    """Back to the list as it was; only a path of this screen, never another site."""
    terug = request.form.get("terug", "")
    return terug if terug.startswith("/berichten") and "//" not in terug else url_for("berichten.index")


@bp.post("/berichten/<int:bericht_id>/gelezen")
@access.requires(*access.ELKE_ROL)
def gelezen(bericht_id: int):
    """'Markeer als gelezen': the row again (htmx) or back to the list."""
    bericht = berichten.vind(current_user, access.contract_ids(), bericht_id)
    if bericht is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    with transaction():
        berichten.markeer_gelezen(current_user, bericht)
    if is_htmx():
        return render_template(
            "berichten/_rij.html",
            b=berichten.vind(current_user, access.contract_ids(), bericht_id),
            knop=EmptyForm(),
            terug=_terug(),
        )
    return redirect(_terug(), 303)


@bp.post("/berichten/gelezen")
@access.requires(*access.ELKE_ROL)
def alles_gelezen():
    """'Markeer alles als gelezen'."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    with transaction():
        berichten.markeer_alles_gelezen(current_user)
    return redirect(_terug(), 303)
