"""Contract gegevens: the contract's data, its verzekeringen and its contacts, read-only."""

from __future__ import annotations

from flask import Blueprint, g, render_template, request

from portal.domain import premie
from portal.domain.aanmelden import BETALINGSWIJZEN
from portal.domain.dates import vandaag
from portal.web import access, contractkeuze

bp = Blueprint("contract", __name__)


@bp.get("/contract-gegevens")
@access.requires(*access.ELKE_ROL)
def index():
    contracten = access.contracten()
    keuze = contractkeuze.kies(request.args.get("contract"), contracten)
    contract, aanbod, betalingswijzen = keuze.contract, [], []
    if contract is not None:
        g.context_contract = contract.nummer
        aanbod = premie.aanbod(contract.id, vandaag().year)
        betalingswijzen = [BETALINGSWIJZEN.get(w, w) for w in contract.betalingswijzen.split(",") if w]
    return render_template(
        "contract/index.html",
        contracten=contracten,
        contract=contract,
        fout=keuze.fout,
        keuzelijst=contractkeuze.als_lijst(contracten),
        aanbod=aanbod,
        jaar=vandaag().year,
        betalingswijzen=betalingswijzen,
    ), 422 if keuze.fout else 200
