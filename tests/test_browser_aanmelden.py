"""Real Chromium through Nieuwe deelnemer: a household of three, every step's rejections, the back
button, the polisblad download, and bijschrijven from Huidige deelnemers."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from portal.demo.people import bsn_generator
from portal.domain.dates import vandaag
from tests.browser import assert_accessible, login

pytestmark = pytest.mark.browser

_bsns = bsn_generator("9996")


def _d(day) -> str:
    return day.strftime("%d-%m-%Y")


def _naar_wizard(page, base_url):
    login(page, base_url, "Anna de Vries")
    page.get_by_role("navigation", name="Dashboard").get_by_role("link", name="Nieuwe deelnemer").click()
    intro = "Aanmelden deelname collectiviteit en/of verzekering"
    expect(page.get_by_role("heading", name=intro)).to_be_visible()
    page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_role("heading", name="Nieuwe deelnemer: gegevens cliënt")).to_be_visible()


def _vul_client(page, bsn, **anders):
    waarden = {
        "BSN": bsn,
        "Voorletters": "R.",
        "Achternaam": "Wizardveld",
        "Geboortedatum": "12-08-1975",
        "Postcode": "2312 CD",
        "Huisnummer": "7",
        "Straat": "Haarlemmerstraat",
        "Woonplaats": "Leiden",
        "Ingangsdatum": _d(vandaag().replace(day=1)),
    }
    waarden.update(anders)
    for label, waarde in waarden.items():
        page.get_by_label(label, exact=True).fill(waarde)
    page.get_by_label("Vrouw").check()


def _vul_lid(page, i, rol, bsn, voorletters, achternaam, geboren):
    page.locator(f"#leden-{i}-rol").select_option(rol)
    page.locator(f"#leden-{i}-bsn").fill(bsn)
    page.locator(f"#leden-{i}-voorletters").fill(voorletters)
    page.locator(f"#leden-{i}-achternaam").fill(achternaam)
    page.locator(f"#leden-{i}-geslacht-0").check()
    page.locator(f"#leden-{i}-geboortedatum").fill(geboren)


def test_without_htmx_a_new_row_still_takes_focus(portal_page, base_url):
    """Pressed before htmx has taken the form over (or with htmx unreachable), 'Partner
    toevoegen' redraws the whole page; the new row's first field takes focus there too."""
    from portal.web.security import HTMX_URL

    page = portal_page
    page.route(HTMX_URL, lambda route: route.abort())
    _naar_wizard(page, base_url)
    _vul_client(page, next(_bsns))
    page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_role("heading", name="Nieuwe deelnemer: gezinsleden")).to_be_visible()
    page.get_by_role("button", name="Partner toevoegen").click()
    expect(page.locator("#leden-0-bsn")).to_be_focused()
    expect(page.locator("#gezinsleden-status")).to_have_text("Partner toegevoegd als gezinslid 1.")
    assert page.evaluate("typeof window.htmx") == "undefined"


def test_a_household_of_three_through_the_wizard(portal_page, base_url, screenshots, tmp_path):
    page = portal_page
    _naar_wizard(page, base_url)
    assert_accessible(page, "gegevens cliënt")
    client_bsn = next(_bsns)
    _vul_client(page, client_bsn)
    page.screenshot(path=screenshots / "aanmelden-client.png", full_page=True)
    page.get_by_role("button", name="Volgende").click()

    expect(page.get_by_role("heading", name="Nieuwe deelnemer: gezinsleden")).to_be_visible()
    page.get_by_role("button", name="Partner toevoegen").click()
    expect(page.locator("#leden-0-bsn")).to_be_focused()  # the new row takes focus
    expect(page.locator("#gezinsleden-status")).to_have_text("Partner toegevoegd als gezinslid 1.")
    _vul_lid(page, 0, "partner", next(_bsns), "T.", "Partnerveld", "01-04-1973")
    page.get_by_role("button", name="Kind toevoegen").click()
    expect(page.locator("#leden-1-bsn")).to_be_focused()
    expect(page.locator("#leden-0-achternaam")).to_have_value("Partnerveld")  # typed values survive
    _vul_lid(page, 1, "kind", next(_bsns), "S.", "Wizardveld", "09-09-2010")
    page.get_by_role("button", name="Kind toevoegen").click()
    expect(page.locator("#leden-2-bsn")).to_be_focused()
    page.get_by_role("button", name="Verwijder gezinslid 3").click()
    expect(page.locator("#leden-2-bsn")).to_have_count(0)
    expect(page.locator("#gezinsleden-kop")).to_be_focused()
    assert_accessible(page, "gezinsleden")
    page.screenshot(path=screenshots / "aanmelden-gezinsleden.png", full_page=True)
    page.get_by_role("button", name="Aanmelden").click()

    expect(page.get_by_role("heading", name="Nieuwe deelnemer: verzekering en betaling")).to_be_visible()
    page.locator("#keuze-hoofd-verzekering").check()
    page.get_by_label(re.compile(r"^Aanvullend Goed")).first.check()
    page.locator("#keuze-leden-0-collectiviteit").check()
    page.locator("#keuze-leden-1-verzekering").check()
    page.locator("#los-leden-1-TAND-250").check()
    page.get_by_label("Automatische incasso").check()
    page.get_by_label("IBAN", exact=True).fill("NL91 ABNA 0417 1643 00")
    page.get_by_label("Naam rekeninghouder").fill("R. Wizardveld")
    assert_accessible(page, "verzekering en betaling")
    page.screenshot(path=screenshots / "aanmelden-verzekering.png", full_page=True)
    page.get_by_role("button", name="Aanmelden").click()

    expect(page.get_by_role("heading", name="De aanmelding is verwerkt")).to_be_visible()
    tabel = page.get_by_role("table", name="Aangemelde personen")
    for naam in ("R. Wizardveld", "T. Partnerveld", "S. Wizardveld"):
        expect(tabel).to_contain_text(naam)
    expect(tabel).to_contain_text("Alleen collectiviteit")
    assert_accessible(page, "bevestiging")
    page.screenshot(path=screenshots / "aanmelden-bevestiging.png", full_page=True)

    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile(r"Polisblad .* van R\. Wizardveld")).click()
    pdf = tmp_path / "polisblad.pdf"
    info.value.save_as(pdf)
    tekst = PdfReader(pdf).pages[0].extract_text()
    for verwacht in (
        "R. Wizardveld",
        "Basisverzekering Zeker",
        "Aanvullend Goed",
        "12345 - Gemeente Leiden",
        _d(vandaag().replace(day=1)),
    ):
        assert verwacht in tekst, verwacht

    # The new deelnemers are found in Huidige deelnemers; the child as bijgeschreven.
    page.get_by_role("link", name="Naar Huidige deelnemers").click()
    page.get_by_label("Achternaam").fill("Wizardveld")
    page.get_by_label("Achternaam").press("Enter")
    expect(page.locator("#resultaten").get_by_text("Aantal deelnemers: 2", exact=True)).to_be_visible()
    expect(page.locator("table.deelnemers")).to_contain_text("Bijgeschreven (kind)")


def test_each_step_rejects_with_messages_and_keeps_everything_also_after_back(
    portal_page, base_url, screenshots
):
    page = portal_page
    _naar_wizard(page, base_url)
    client_bsn = next(_bsns)
    te_vroeg = vandaag() - timedelta(days=130)
    _vul_client(
        page,
        "123456789",
        Achternaam="Foutman",
        Geboortedatum="31-02-1980",
        Postcode="123",
        Ingangsdatum=_d(te_vroeg),
    )
    page.get_by_role("button", name="Volgende").click()
    samenvatting = page.locator("[data-foutoverzicht]")
    expect(samenvatting.get_by_role("heading", name="Er is een probleem")).to_be_focused()
    for tekst in (
        "Dit BSN klopt niet",
        "De datum moet bestaan",
        "4 cijfers en 2 letters",
        f"De vroegst mogelijke ingangsdatum is {_d(vandaag() - timedelta(days=120))}.",
    ):
        expect(samenvatting).to_contain_text(tekst)
    expect(page.get_by_label("Achternaam", exact=True)).to_have_value("Foutman")
    expect(page.get_by_label("Ingangsdatum")).to_have_value(_d(te_vroeg))
    assert_accessible(page, "gegevens cliënt met fouten")
    page.screenshot(path=screenshots / "aanmelden-client-fouten.png", full_page=True)
    samenvatting.get_by_role("link", name=re.compile("Dit BSN klopt niet")).click()
    expect(page.get_by_label("BSN")).to_be_focused()
    _vul_client(page, client_bsn, Achternaam="Foutman")
    page.get_by_role("button", name="Volgende").click()

    page.get_by_role("button", name="Kind toevoegen").click()
    _vul_lid(page, 0, "kind", client_bsn, "O.", "Foutman", "01-01-1960")
    page.get_by_role("button", name="Aanmelden").click()
    samenvatting = page.locator("[data-foutoverzicht]")
    expect(samenvatting).to_contain_text("Een kind is jonger dan de cliënt")
    expect(samenvatting).to_contain_text("Dit BSN is al ingevuld bij R. Foutman.")
    assert_accessible(page, "gezinsleden met fouten")
    page.locator("#leden-0-bsn").fill(next(_bsns))
    page.locator("#leden-0-geboortedatum").fill("02-02-2015")
    page.get_by_role("button", name="Aanmelden").click()

    expect(page.get_by_role("heading", name="Nieuwe deelnemer: verzekering en betaling")).to_be_visible()
    page.locator("#keuze-hoofd-verzekering").check()
    page.get_by_label("Automatische incasso").check()
    page.get_by_label("IBAN", exact=True).fill("NL00 ABNA 0000 0000 00")
    page.get_by_label("Naam rekeninghouder").fill("R. Foutman")
    page.get_by_role("button", name="Aanmelden").click()
    samenvatting = page.locator("[data-foutoverzicht]")
    expect(samenvatting).to_contain_text("Dit IBAN klopt niet")
    expect(samenvatting).to_contain_text("Kies voor O. Foutman: alleen collectiviteit of een verzekering.")
    expect(page.locator("#keuze-hoofd-verzekering")).to_be_checked()
    expect(page.get_by_label("Naam rekeninghouder")).to_have_value("R. Foutman")
    assert_accessible(page, "verzekering met fouten")

    # The back button: a rejected step was swapped in place (no history entry), so one step back
    # is Gezinsleden and the next Gegevens cliënt, both still holding what was typed.
    page.go_back()
    expect(page.get_by_role("heading", name="Nieuwe deelnemer: gezinsleden")).to_be_visible()
    expect(page.locator("#leden-0-geboortedatum")).to_have_value("02-02-2015")
    page.go_back()
    expect(page.get_by_role("heading", name="Nieuwe deelnemer: gegevens cliënt")).to_be_visible()
    expect(page.get_by_label("Achternaam", exact=True)).to_have_value("Foutman")
    expect(page.get_by_label("BSN")).to_have_value(client_bsn)
    page.get_by_role("button", name="Volgende").click()
    page.get_by_role("button", name="Aanmelden").click()
    page.locator("#keuze-hoofd-verzekering").check()
    page.locator("#keuze-leden-0-collectiviteit").check()
    page.get_by_label("Automatische incasso").check()
    page.get_by_label("IBAN", exact=True).fill("NL91 ABNA 0417 1643 00")
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("heading", name="De aanmelding is verwerkt")).to_be_visible()


def test_bijschrijven_from_huidige_deelnemers(portal_page, base_url, screenshots):
    page = portal_page
    login(page, base_url, "Anna de Vries")
    page.get_by_role("navigation", name="Dashboard").get_by_role("link", name="Huidige deelnemers").click()
    page.get_by_label("Achternaam").fill("Jansen")
    page.get_by_label("Achternaam").press("Enter")
    expect(page).to_have_url(re.compile(r"achternaam=Jansen"))
    link = page.locator("table.deelnemers").get_by_role("link", name=re.compile(r"^Bijschrijven")).first
    naam = re.sub(r"^Bijschrijven\s+bij\s+", "", link.inner_text()).strip()
    link.click()
    expect(page.get_by_role("heading", name=f"Bijschrijven gezinsleden van {naam}")).to_be_visible()
    assert_accessible(page, "bijschrijven")
    page.get_by_role("button", name="Volgende").click()
    expect(page.get_by_role("heading", name="Bijschrijven: gezinsleden")).to_be_visible()
    page.get_by_label("Ingangsdatum gezinsleden").fill(_d(vandaag()))
    page.get_by_role("button", name="Kind toevoegen").click()
    _vul_lid(page, 0, "kind", next(_bsns), "B.", "Bijschrijfkind", _d(vandaag() - timedelta(days=40)))
    page.screenshot(path=screenshots / "bijschrijven-gezinsleden.png", full_page=True)
    page.get_by_role("button", name="Aanmelden").click()
    page.locator("#keuze-leden-0-collectiviteit").check()
    page.get_by_role("button", name="Aanmelden").click()
    expect(page.get_by_role("heading", name="De aanmelding is verwerkt")).to_be_visible()
    expect(page.get_by_role("table", name="Aangemelde personen")).to_contain_text("B. Bijschrijfkind")
