"""Real Chromium on Huidige deelnemers: search by each field, paging, afmelden, details, downloads."""

from __future__ import annotations

import csv
import re
from datetime import timedelta

import openpyxl
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.domain.dates import vandaag
from portal.extensions import db
from portal.models import Contract, Deelname, Persoon
from tests.browser import assert_accessible, login

pytestmark = pytest.mark.browser


def _alleenstaanden(live_server, aantal: int, offset: int):
    """Active hoofdverzekerden of contract 12345 without gezinsleden, as plain values."""
    app = live_server[1]
    with app.app_context():
        gezin = select(Deelname.hoofd_deelname_id).where(Deelname.hoofd_deelname_id.is_not(None))
        rows = db.session.execute(
            select(
                Persoon.relatienummer,
                Persoon.bsn,
                Persoon.achternaam,
                Persoon.voorvoegsel,
                Persoon.geboortedatum,
            )
            .join(Deelname, Deelname.persoon_id == Persoon.id)
            .join(Contract, Contract.id == Deelname.contract_id)
            .where(
                Contract.nummer == "12345",
                Deelname.einddatum.is_(None),
                Deelname.rol == "hoofdverzekerde",
                Deelname.id.not_in(gezin),
                Deelname.ingangsdatum < vandaag() - timedelta(days=200),
            )
            .order_by(Persoon.id)
            .offset(offset)
            .limit(aantal)
        ).all()
        db.session.remove()
    return rows


def _rij(page, relatienummer):
    return page.locator(f"#rij-{relatienummer}-12345")


def _d(day) -> str:
    return day.strftime("%d-%m-%Y")


def test_search_by_each_field(portal_page, base_url, live_server, screenshots):
    page = portal_page
    (p,) = _alleenstaanden(live_server, 1, offset=3)
    login(page, base_url, "Anna de Vries")
    page.get_by_role("navigation", name="Dashboard").get_by_role("link", name="Huidige deelnemers").click()
    expect(page.get_by_role("heading", name="Huidige deelnemers")).to_be_visible()
    expect(page.locator("#resultaten .aantal")).to_have_text(re.compile(r"Aantal deelnemers: \d+"))
    assert_accessible(page, "huidige deelnemers")

    # Achternaam: results follow the typing (no button pressed), the URL follows the search.
    page.get_by_label("Achternaam").type(p.achternaam[:4].lower(), delay=30)
    expect(page).to_have_url(re.compile(r"achternaam=" + p.achternaam[:4].lower()))
    expect(page.locator("table.deelnemers tbody tr").first).to_contain_text(p.achternaam[:4])
    page.screenshot(path=screenshots / "deelnemers-zoeken.png", full_page=True)
    assert_accessible(page, "after the active search swap")

    # Relatienummer (exact), submitted with Enter.
    page.get_by_label("Achternaam").fill("")
    page.get_by_label("Relatienummer").fill(p.relatienummer)
    page.get_by_label("Relatienummer").press("Enter")
    expect(page.locator("#resultaten").get_by_text("Aantal deelnemers: 1", exact=True)).to_be_visible()
    expect(_rij(page, p.relatienummer)).to_be_visible()
    expect(page).to_have_url(re.compile(f"relatienummer={p.relatienummer}"))

    # Back and forward follow the searches.
    page.go_back()
    expect(page).to_have_url(re.compile(r"achternaam=" + p.achternaam[:4].lower()))
    expect(page.get_by_label("Achternaam")).to_have_value(p.achternaam[:4].lower())
    # A history miss reloads the page (refreshOnHistoryMiss); let that load finish before going
    # forward, as a person would, or the two navigations race (seen once on a loaded CI machine).
    expect(page.locator("#resultaten .aantal")).not_to_have_text("Aantal deelnemers: 1")
    page.wait_for_load_state("load")
    page.go_forward()
    expect(page).to_have_url(re.compile(r"relatienummer=" + p.relatienummer))
    expect(_rij(page, p.relatienummer)).to_be_visible()
    page.get_by_label("Achternaam").fill("")

    # BSN: found, but never in the address bar.
    page.get_by_label("Relatienummer").fill("")
    page.get_by_label("BSN").fill(p.bsn)
    page.get_by_role("button", name="Zoek deelnemer").click()
    expect(_rij(page, p.relatienummer)).to_be_visible()
    expect(page.locator("#resultaten").get_by_text("Aantal deelnemers: 1", exact=True)).to_be_visible()
    assert p.bsn not in page.url

    # Geboortedatum.
    page.get_by_label("BSN").fill("")
    page.get_by_label("Geboortedatum").fill(_d(p.geboortedatum))
    page.get_by_role("button", name="Zoek deelnemer").click()
    # The row is still there from the BSN search: wait for this search's URL, then the row.
    expect(page).to_have_url(re.compile(f"geboortedatum={_d(p.geboortedatum)}"))
    expect(_rij(page, p.relatienummer)).to_be_visible()

    # A wrong date: a Dutch error, nothing lost.
    page.get_by_label("Geboortedatum").fill("31-02-1970")
    page.get_by_role("button", name="Zoek deelnemer").click()
    expect(page.get_by_role("alert")).to_contain_text("Vul de geboortedatum in als dd-mm-jjjj")
    expect(page.get_by_label("Geboortedatum")).to_have_value("31-02-1970")
    assert_accessible(page, "search error")
    assert f"geboortedatum={_d(p.geboortedatum)}" in page.url  # a failed search is not pushed


def test_paging_and_page_size(portal_page, base_url):
    page = portal_page
    login(page, base_url, "Anna de Vries")
    page.goto(f"{base_url}/deelnemers?contract=12345")
    expect(page.get_by_text(re.compile(r"pagina 1 van \d+"))).to_be_visible()
    assert page.locator("table.deelnemers tbody tr").count() == 25
    eerste = page.locator("table.deelnemers tbody tr").first.inner_text()
    page.get_by_role("link", name="Volgende pagina").click()
    expect(page.get_by_text(re.compile(r"pagina 2 van \d+"))).to_be_visible()
    assert page.locator("table.deelnemers tbody tr").first.inner_text() != eerste
    assert "pagina=2" in page.url
    page.get_by_label("Resultaten per pagina").select_option("10")
    expect(page.get_by_text(re.compile(r"pagina 1 van \d+"))).to_be_visible()
    expect(page.locator("table.deelnemers tbody tr")).to_have_count(10)
    page.get_by_role("link", name=re.compile("Ingangsdatum")).click()
    expect(page.locator("th[aria-sort=ascending]")).to_have_text(re.compile("Ingangsdatum"))
    assert_accessible(page, "paged")


def test_afmelden_einde_collectiviteit_in_the_row(portal_page, base_url, live_server, screenshots):
    page = portal_page
    (p,) = _alleenstaanden(live_server, 1, offset=10)
    login(page, base_url, "Anna de Vries")
    page.goto(f"{base_url}/deelnemers?relatienummer={p.relatienummer}")
    page.get_by_role("link", name=re.compile("Direct afmelden")).click()
    expect(page.get_by_role("heading", name="Direct afmelden")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Direct afmelden"))).to_have_attribute(
        "aria-expanded", "true"
    )
    assert_accessible(page, "afmeld form in the row")
    einde = vandaag() + timedelta(days=40)
    page.get_by_label("Einddatum (t/m)").fill(_d(einde))
    page.get_by_label("Reden").select_option("einde_collectiviteit")
    page.screenshot(path=screenshots / "deelnemers-afmelden.png", full_page=True)
    page.get_by_role("button", name="Afmelden").click()
    expect(page.locator("#paginamelding")).to_contain_text("is verwerkt")
    expect(_rij(page, p.relatienummer)).to_contain_text(_d(einde))
    uitklap = _rij(page, p.relatienummer).get_by_role("link", name=re.compile("Direct afmelden"))
    expect(uitklap).to_have_count(0)
    assert_accessible(page, "after afmelden")


def test_afmelden_overleden_after_a_rejected_date(portal_page, base_url, live_server):
    page = portal_page
    (p,) = _alleenstaanden(live_server, 1, offset=20)
    login(page, base_url, "Anna de Vries")
    page.goto(f"{base_url}/deelnemers?relatienummer={p.relatienummer}")
    page.get_by_role("link", name=re.compile("Direct afmelden")).click()
    morgen = _d(vandaag() + timedelta(days=1))
    page.get_by_label("Einddatum (t/m)").fill(morgen)
    page.get_by_label("Reden").select_option("overleden")
    page.get_by_role("button", name="Afmelden").click()
    summary = page.locator("[data-foutoverzicht]")
    expect(summary).to_contain_text("kan niet na vandaag")
    expect(summary.get_by_role("heading")).to_be_focused()
    expect(page.get_by_label("Einddatum (t/m)")).to_have_value(morgen)
    expect(page.get_by_label("Reden")).to_have_value("overleden")
    assert_accessible(page, "afmelden refused")
    overleden = vandaag() - timedelta(days=3)
    page.get_by_label("Einddatum (t/m)").fill(_d(overleden))
    page.get_by_role("button", name="Afmelden").click()
    expect(page.locator("#paginamelding")).to_contain_text("eindigt na de overlijdensdatum")
    expect(_rij(page, p.relatienummer)).to_contain_text(_d(overleden))


def test_details_page(portal_page, base_url, live_server, screenshots):
    page = portal_page
    app = live_server[1]
    with app.app_context():
        hoofd = db.session.execute(
            select(Persoon.relatienummer, Persoon.voorletters)
            .join(Deelname, Deelname.persoon_id == Persoon.id)
            .where(Deelname.id.in_(select(Deelname.hoofd_deelname_id)), Deelname.einddatum.is_(None))
            .order_by(Persoon.id)
            .offset(2)
            .limit(1)
        ).one()
        db.session.remove()
    login(page, base_url, "Anna de Vries")
    page.goto(f"{base_url}/deelnemers?relatienummer={hoofd.relatienummer}")
    _rij(page, hoofd.relatienummer).locator("td:nth-child(3) a").click()
    for kop in ("Persoon", "Deelnames", "Gezinsleden", "Polis", "Meldingen", "Berichten"):
        expect(page.get_by_role("heading", name=kop, exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Partner")).to_be_visible()
    expect(page.get_by_text("Gezinsleden bijschrijven")).to_be_visible()
    page.screenshot(path=screenshots / "deelnemer-details.png", full_page=True)
    assert_accessible(page, "details")
    page.get_by_role("link", name=re.compile("Afmelden")).first.click()
    expect(page.get_by_role("heading", name="Direct afmelden")).to_be_visible()
    expect(page.get_by_role("group", name="Gezinsleden die ook worden afgemeld")).to_be_visible()
    assert_accessible(page, "afmelden page")


def test_both_downloads(portal_page, base_url, tmp_path):
    page = portal_page
    login(page, base_url, "Anna de Vries")
    page.goto(f"{base_url}/deelnemers?contract=12345")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download volledige lijst").click()
    download = info.value
    assert re.fullmatch(r"deelnemers-12345-\d{4}-\d{2}-\d{2}\.xlsx", download.suggested_filename)
    path = tmp_path / "lijst.xlsx"
    download.save_as(path)
    sheet = openpyxl.load_workbook(path).active
    assert sheet["B1"].value == "Volledige naam"
    assert sheet["E2"].is_date and sheet["E2"].number_format == "dd-mm-yyyy"
    assert sheet.max_row > 100

    with page.expect_download() as info:
        page.get_by_role("link", name="Download als CSV").click()
    path = tmp_path / "lijst.csv"
    info.value.save_as(path)
    rows = list(csv.reader(path.open(encoding="utf-8-sig"), delimiter=";"))
    assert rows[0][0] == "Contract" and len(rows) == sheet.max_row
    assert re.fullmatch(r"\d{2}-\d{2}-\d{4}", rows[1][4])
