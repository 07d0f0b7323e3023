"""Real Chromium on Borderellen: the list, the factuur and the borderel downloads."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader
from sqlalchemy import select

from portal.documents.borderel import DOCUMENTEN
from portal.domain import borderellen
from portal.domain.dates import eerste_dag, vandaag, vorige_maand
from portal.extensions import db
from portal.models import Borderel, Contract
from tests.browser import assert_accessible, login

pytestmark = pytest.mark.browser


def test_borderellen_list_and_downloads(portal_page, base_url, live_server, screenshots, tmp_path):
    app = live_server[1]
    with app.app_context():
        contract = db.session.scalar(select(Contract).where(Contract.nummer == "12345"))
        deze = eerste_dag(vandaag())
        vorige = vorige_maand(deze)
        borderellen.genereer(contract, vorige, gemaakt_op=vorige, documenten=DOCUMENTEN)
        borderellen.genereer(contract, deze, documenten=DOCUMENTEN)
        db.session.commit()
        namen = db.session.scalars(
            select(Borderel.bestandsnaam)
            .where(Borderel.contract_id == contract.id)
            .order_by(Borderel.periode.desc())
        ).all()
        totaal = db.session.scalar(
            select(Borderel.totaal_netto).where(Borderel.contract_id == contract.id, Borderel.periode == deze)
        )
        db.session.remove()

    page = portal_page
    login(page, base_url, "Bram Jansen")  # financieel
    page.get_by_role("navigation", name="Dashboard").get_by_role("link", name="Borderellen").click()
    expect(page.get_by_role("heading", name="Borderellen", exact=True)).to_be_visible()
    rijen = page.locator("table.borderellen tbody tr")
    expect(rijen).to_have_count(2)
    expect(rijen.first).to_contain_text(namen[0])  # newest first
    page.screenshot(path=screenshots / "borderellen.png", full_page=True)
    assert_accessible(page, "borderellen")

    with page.expect_download() as info:
        rijen.first.get_by_role("link", name=namen[0]).click()
    assert info.value.suggested_filename == namen[0]
    pad = tmp_path / namen[0]
    info.value.save_as(pad)
    tekst = pad.read_text(encoding="utf-8-sig")
    regels = list(csv.reader(io.StringIO(tekst), delimiter=";"))
    assert regels[0][:3] == ["Relatienummer", "BSN", "Naam"]
    assert regels[-1][0] == "Totaal"

    with page.expect_download() as info:
        rijen.first.get_by_role("link", name="Download").click()
    pdf = tmp_path / "factuur.pdf"
    info.value.save_as(pdf)
    inhoud = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    bedrag = f"{totaal:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    assert f"€ {bedrag}" in inhoud
    assert regels[-1][9] == f"{totaal:.2f}".replace(".", ",")
