"""Real Chromium on In- en uitstroomlijsten, Contract gebruik and Contract gegevens."""

from __future__ import annotations

import re

import openpyxl
import pytest
from playwright.sync_api import expect

from portal.domain.dates import vandaag
from tests.browser import assert_accessible, login

pytestmark = pytest.mark.browser


def _nav(page, naam: str) -> None:
    page.get_by_role("navigation", name="Dashboard").get_by_role("link", name=naam).click()


def test_in_en_uitstroomlijst_view_sort_page_and_download(portal_page, base_url, screenshots, tmp_path):
    page = portal_page
    login(page, base_url, "Daan Visser")  # two contracts: the choice list shows
    _nav(page, "In- en uitstroomlijsten")
    expect(page.get_by_role("heading", name="In- en uitstroomlijsten")).to_be_visible()
    assert_accessible(page, "in- en uitstroomlijsten, leeg")

    jaar = vandaag().year - 1
    page.get_by_label("Contract").select_option("12345")
    page.get_by_label("Periode").select_option(str(jaar))
    page.get_by_role("button", name="De lijst bekijken").click()
    expect(page).to_have_url(re.compile(rf"periode={jaar}"))
    kop = page.get_by_role("heading", name=re.compile(r"In- en uitstromers van 12345"))
    expect(kop).to_contain_text(f"{jaar} - januari t/m december")
    aantal = int(page.locator(".aantal").inner_text().split(":")[1])
    assert aantal > 25, "the demo contract has more than a page of movements in a year"
    rijen = page.locator("#lijst tbody tr")
    expect(rijen).to_have_count(25)
    for tekst in rijen.locator("td:nth-child(8)").all_inner_texts():
        assert tekst in ("In", "Uit", "In en uit")
    page.screenshot(path=screenshots / "stroom-lijst.png", full_page=True)
    assert_accessible(page, "in- en uitstroomlijst")

    # Sort on einddatum (descending on the second click), through htmx, URL follows.
    page.locator("#lijst thead").get_by_role("link", name=re.compile("^Einddatum")).click()
    expect(page).to_have_url(re.compile(r"sorteer=einddatum"))
    page.locator("#lijst thead").get_by_role("link", name=re.compile("^Einddatum")).click()
    expect(page).to_have_url(re.compile(r"sorteer=-einddatum"))
    eerste = page.locator("#lijst tbody tr").first.locator("td:nth-child(7)").inner_text()
    tweede = page.locator("#lijst tbody tr").nth(1).locator("td:nth-child(7)").inner_text()
    assert _iso(eerste) >= _iso(tweede)

    # Next page, then back: the browser's history works.
    page.get_by_role("link", name="Volgende pagina").click()
    expect(page).to_have_url(re.compile(r"pagina=2"))
    expect(page.locator("#lijst nav [aria-current=page]")).to_have_text("2")
    page.go_back()
    expect(page).not_to_have_url(re.compile(r"pagina=2"))

    # "Toon alle deelnemers" holds more people than only the movers.
    page.get_by_label("Weergave").select_option("alle")
    page.get_by_role("button", name="De lijst bekijken").click()
    expect(page.get_by_role("heading", name=re.compile("Alle deelnemers van 12345"))).to_be_visible()
    assert int(page.locator(".aantal").inner_text().split(":")[1]) > aantal

    # The download button gives the list as Excel with the same rows.
    page.get_by_label("Weergave").select_option("stroom")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download deze in- en uitstroomlijst").click()
    pad = tmp_path / info.value.suggested_filename
    info.value.save_as(pad)
    assert info.value.suggested_filename == f"in-en-uitstroom-12345-{jaar}01-{jaar}12.xlsx"
    blad = openpyxl.load_workbook(pad).active
    assert [c.value for c in blad[1]][:3] == ["Contract", "Naam", "BSN"]
    assert blad.max_row - 1 == aantal
    assert blad.freeze_panes == "A2"


def test_in_en_uitstroomlijst_other_period_keeps_input(portal_page, base_url):
    page = portal_page
    login(page, base_url, "Anna de Vries")
    page.goto(f"{base_url}/in-en-uitstroomlijsten")
    page.get_by_label("Periode").select_option("anders")
    page.get_by_label("Van maand").fill("13-2025")
    page.get_by_label("T/m maand").fill("02-2026")
    page.get_by_role("button", name="De lijst bekijken").click()
    expect(page.locator(".foutoverzicht")).to_contain_text("Vul de eerste maand in als mm-jjjj")
    expect(page.get_by_label("T/m maand")).to_have_value("02-2026")
    assert_accessible(page, "in- en uitstroomlijst met fout")
    page.get_by_label("Van maand").fill("11-2025")
    page.get_by_role("button", name="De lijst bekijken").click()
    expect(page.locator("#lijstkop")).to_contain_text("november 2025 t/m februari 2026")


def test_contract_gebruik_table_chart_and_download(portal_page, base_url, screenshots, tmp_path):
    page = portal_page
    login(page, base_url, "Bram Jansen")  # financieel
    _nav(page, "Contract gebruik")
    expect(page.get_by_role("heading", name="Gemeente Leiden (12345)")).to_be_visible()
    rijen = page.locator("table.cijfers tbody tr")
    expect(rijen).to_have_count(12)
    expect(page.locator("svg.grafiek__svg .grafiek__aantal rect")).to_have_count(12)
    # The figures reconcile on screen: each month is the one before plus in minus out.
    waarden = [[int(t) for t in r.locator("td").all_inner_texts()] for r in rijen.all()]
    for nieuwer, ouder in zip(waarden, waarden[1:], strict=False):
        assert nieuwer[0] == ouder[0] + nieuwer[2] - nieuwer[3]
        assert nieuwer[1] == nieuwer[2] - nieuwer[3]
    page.screenshot(path=screenshots / "contract-gebruik.png", full_page=True)
    assert_accessible(page, "contract gebruik")

    page.get_by_label("Periode").select_option("60")
    page.get_by_role("button", name="Toon").click()
    expect(rijen).to_have_count(60)

    with page.expect_download() as info:
        page.get_by_role("link", name="Download deze tabel (Excel)").click()
    pad = tmp_path / "gebruik.xlsx"
    info.value.save_as(pad)
    blad = openpyxl.load_workbook(pad).active
    assert blad.cell(1, 2).value == "Aantal deelnemers (einde van deze maand)"
    assert blad.max_row == 61
    assert blad.cell(2, 2).value == waarden[0][0]


def test_contract_gegevens_and_change_request(portal_page, base_url, screenshots):
    page = portal_page
    login(page, base_url, "Carla Bakker")  # accountbeheer, two contracts
    _nav(page, "Contract gegevens")
    expect(page.get_by_role("heading", name="12345 - Gemeente Leiden")).to_be_visible()
    expect(page.locator("dl.gegevens")).to_contain_text("Collectiviteitsnummer")
    expect(page.get_by_role("heading", name="Relatiemanager")).to_be_visible()
    expect(page.get_by_text("Marieke Hoogland")).to_be_visible()
    page.screenshot(path=screenshots / "contract-gegevens.png", full_page=True)
    assert_accessible(page, "contract gegevens")

    page.get_by_label("Contract").select_option("12346")
    page.get_by_role("button", name="Toon").click()
    expect(page.get_by_role("heading", name=re.compile("^12346 - "))).to_be_visible()
    page.get_by_role("link", name="Wijziging doorgeven").click()
    expect(page.get_by_label("Onderwerp")).to_have_value("Wijziging contractgegevens 12346")
    page.get_by_label("Uw vraag").fill("Ons nieuwe adres is Stationsweg 1.")
    page.get_by_role("button", name="Vraag versturen").click()
    expect(page.locator(".melding--succes")).to_contain_text("Uw vraag is verstuurd")


def _iso(tekst: str) -> str:
    """dd-mm-jjjj as jjjj-mm-dd (empty stays empty, and sorts first)."""
    return "-".join(reversed(tekst.split("-"))) if tekst else ""
