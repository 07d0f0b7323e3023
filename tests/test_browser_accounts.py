"""Real Chromium on Berichten, Accountbeheer, account requests and Contact.

The live server's demo data is shared by all browser tests: what these tests create they
remove again through the screens (a removed account frees its eHerkenning identity).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.domain import berichten
from portal.extensions import db
from portal.models import Contract
from tests.browser import assert_accessible, login, logout

pytestmark = pytest.mark.browser


def _rij(page, naam: str):
    return page.locator("table.accountlijst tbody tr", has_text=naam)


def test_create_edit_deactivate_and_remove_an_account(portal_page, base_url, live_server, screenshots):
    page = portal_page
    login(page, base_url, "Carla Bakker")  # accountbeheer, Leiden 12345 and 12346
    page.get_by_role("navigation", name="Dashboard").get_by_role("link", name="Accountbeheer").click()
    expect(page.get_by_role("heading", name="Accountbeheer", exact=True)).to_be_visible()
    expect(_rij(page, "Anna de Vries")).to_contain_text("ehpseudo-leiden-anna")
    page.screenshot(path=screenshots / "accountbeheer.png", full_page=True)
    assert_accessible(page, "accountbeheer")

    page.get_by_role("link", name="Account aanmaken").click()
    page.get_by_label("Naam", exact=True).fill("Joost Test")
    page.get_by_label("E-mailadres").fill("geen adres")
    page.get_by_label("eHerkenning-identiteit").fill("ehpseudo-leiden-joost")
    page.get_by_label("Administratief").check()
    page.get_by_label("12345 - Gemeente Leiden").check()
    page.get_by_role("button", name="Account aanmaken").click()
    summary = page.locator("[data-foutoverzicht] h2")
    expect(summary).to_be_focused()
    expect(page.locator(".foutoverzicht")).to_contain_text("Vul een geldig e-mailadres in")
    expect(page.get_by_label("Naam", exact=True)).to_have_value("Joost Test")
    expect(page.get_by_label("Administratief")).to_be_checked()
    assert_accessible(page, "account aanmaken met fout")
    page.get_by_label("E-mailadres").fill("j.test@leiden.example")
    page.get_by_role("button", name="Account aanmaken").click()
    expect(page.locator("#paginamelding")).to_contain_text("Het account van Joost Test is aangemaakt")
    expect(_rij(page, "Joost Test")).to_contain_text("Administratief")

    _rij(page, "Joost Test").get_by_role("link", name=re.compile("^Bewerken")).click()
    expect(page.get_by_label("Administratief")).to_be_checked()
    page.get_by_label("Financieel").check()
    page.get_by_label("12346").check()
    page.screenshot(path=screenshots / "account-bewerken.png", full_page=True)
    assert_accessible(page, "account bewerken")
    page.get_by_role("button", name="Account bewerken").click()
    expect(_rij(page, "Joost Test")).to_contain_text("Administratief, Financieel")
    expect(_rij(page, "Joost Test")).to_contain_text("12345, 12346")

    _rij(page, "Joost Test").get_by_role("button", name=re.compile("^Deactiveren")).click()
    expect(_rij(page, "Joost Test")).to_contain_text("Gedeactiveerd")
    _rij(page, "Joost Test").get_by_role("button", name=re.compile("^Activeren")).click()
    expect(_rij(page, "Joost Test")).to_contain_text("Actief")

    _rij(page, "Joost Test").get_by_role("link", name=re.compile("^Verwijderen")).click()
    expect(page.get_by_text("Weet u zeker")).to_be_visible()
    assert_accessible(page, "account verwijderen")
    page.get_by_role("button", name="Account verwijderen").click()
    expect(page.locator("#paginamelding")).to_contain_text("is verwijderd")
    expect(_rij(page, "Joost Test")).to_have_count(0)

    # The last accountbeheerder of Leiden cannot deactivate herself.
    _rij(page, "Carla Bakker").get_by_role("button", name=re.compile("^Deactiveren")).click()
    expect(page.locator("#paginamelding")).to_contain_text("laatste actieve accountbeheerder")
    expect(_rij(page, "Carla Bakker")).to_contain_text("Actief")

    # A crafted POST granting another organisation's contract is refused on the server.
    app = live_server[1]
    with app.app_context():
        flexwerk = db.session.scalar(select(Contract.id).where(Contract.nummer == "23595"))
        db.session.remove()
    anna_bewerken = _rij(page, "Anna de Vries").get_by_role("link", name=re.compile("^Bewerken"))
    pad = anna_bewerken.get_attribute("href")
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    response = page.request.post(
        f"{base_url}{pad}",
        form={"csrf_token": token, "rollen": "administratief", "contracten": str(flexwerk)},
    )
    assert response.status == 422
    assert "alleen toegang geven tot contracten waartoe u zelf toegang heeft" in response.text()
    page.reload()
    expect(_rij(page, "Anna de Vries")).not_to_contain_text("23595")


def test_an_account_request_approved_and_the_new_user_logs_in(portal_page, base_url, screenshots):
    page = portal_page
    # From the login page: the form first asks for an eHerkenning login.
    page.goto(f"{base_url}/inloggen")
    page.get_by_role("link", name="MijnZZ Zakelijk account aanvragen").click()
    expect(page.get_by_text("Log daarom eerst in met eHerkenning")).to_be_visible()
    assert_accessible(page, "aanvragen: eerst inloggen")
    login(page, base_url, "Iris Vermeulen")  # EH3, no account
    page.get_by_role("link", name="aanvraagformulier").click()
    expect(page.get_by_role("heading", name="MijnZZ Zakelijk account aanvragen")).to_be_visible()
    page.get_by_role("button", name="Account aanvragen").click()
    expect(page.locator("[data-foutoverzicht] h2")).to_be_focused()
    expect(page.locator(".foutoverzicht")).to_contain_text("Kies ten minste één rol.")
    assert_accessible(page, "aanvraag met fouten")
    page.get_by_label("Naam van uw organisatie").fill("Gemeente Leiden")
    page.get_by_label("Uw naam").fill("Iris Vermeulen")
    page.get_by_label("Uw e-mailadres").fill("i.vermeulen@leiden.example")
    page.get_by_label("Administratief").check()
    page.get_by_label("Gewenste contracten").fill("12345")
    page.get_by_role("button", name="Account aanvragen").click()
    expect(page.locator(".melding--succes")).to_contain_text("Wij hebben uw aanvraag")
    expect(page.get_by_text("De accountbeheerder van uw organisatie beoordeelt")).to_be_visible()
    page.screenshot(path=screenshots / "account-aangevraagd.png", full_page=True)
    assert_accessible(page, "aanvraag ontvangen")

    login(page, base_url, "Carla Bakker")
    page.get_by_role("navigation", name="Dashboard").get_by_role("link", name="Berichten").click()
    expect(page.locator("table.berichtenlijst")).to_contain_text("Accountaanvraag van Iris Vermeulen")
    page.get_by_role("navigation", name="Dashboard").get_by_role("link", name="Accountbeheer").click()
    page.get_by_role("link", name=re.compile("Behandelen.*Iris Vermeulen")).click()
    expect(page.get_by_label("Administratief")).to_be_checked()
    expect(page.get_by_label("12345 - Gemeente Leiden")).to_be_checked()
    expect(page.get_by_label("12346")).not_to_be_checked()
    page.screenshot(path=screenshots / "account-aanvraag.png", full_page=True)
    assert_accessible(page, "aanvraag behandelen")
    page.get_by_role("button", name="Aanvraag goedkeuren").click()
    expect(page.locator("#paginamelding")).to_contain_text("Iris Vermeulen kan nu inloggen")
    logout(page)

    login(page, base_url, "Iris Vermeulen")
    expect(page.get_by_role("heading", name="Welkom, Iris Vermeulen")).to_be_visible()
    page.get_by_role("navigation", name="Dashboard").get_by_role("link", name="Berichten").click()
    expect(page.locator("table.berichtenlijst")).to_contain_text("Account voor Iris Vermeulen aangemaakt")
    logout(page)

    # Put the demo data back: Iris has no account again.
    login(page, base_url, "Carla Bakker")
    page.goto(f"{base_url}/accountbeheer")
    _rij(page, "Iris Vermeulen").get_by_role("link", name=re.compile("^Verwijderen")).click()
    page.get_by_role("button", name="Account verwijderen").click()
    expect(_rij(page, "Iris Vermeulen")).to_have_count(0)


def test_berichten_filter_and_mark_read(portal_page, base_url, live_server, screenshots):
    app = live_server[1]
    with app.app_context():
        leiden = db.session.scalar(select(Contract).where(Contract.nummer == "12345"))
        berichten.borderel_klaar(leiden, "oktober 2026")
        db.session.commit()
        db.session.remove()
    page = portal_page
    login(page, base_url, "Daan Visser")  # two contracts
    page.get_by_role("navigation", name="Dashboard").get_by_role("link", name="Berichten").click()
    expect(page.get_by_role("heading", name="Berichten", exact=True)).to_be_visible()
    rijen = page.locator("table.berichtenlijst tbody tr")
    expect(rijen.first).to_be_visible()
    page.screenshot(path=screenshots / "berichten.png", full_page=True)
    assert_accessible(page, "berichten")

    page.get_by_label("Categorie", exact=True).select_option("Borderel")  # htmx swaps the list on change
    expect(page).to_have_url(re.compile(r"categorie=Borderel"))
    expect(page.locator("#lijstkop")).to_have_text("Borderel")
    expect(rijen).to_have_count(1)
    expect(rijen.first).to_contain_text("Borderel en factuur van oktober 2026 voor contract 12345")
    page.get_by_label("Categorie", exact=True).select_option("Bevestiging")
    expect(page.locator("#lijstkop")).to_have_text("Bevestiging")
    for tekst in rijen.all_inner_texts():
        assert "Bevestiging" in tekst
    page.get_by_label("Contract", exact=True).select_option("12346")
    expect(page).to_have_url(re.compile(r"contract=12346"))
    expect(rijen.first).to_contain_text("12346")

    eerste = rijen.first
    rij_id = eerste.get_attribute("id")
    eerste.get_by_role("button", name=re.compile("^Markeer als gelezen")).click()
    expect(page.locator(f"#{rij_id}")).to_contain_text("Gelezen")
    expect(page.locator(f"#{rij_id}")).not_to_have_class("ongelezen")
    assert_accessible(page, "berichten na markeren")
    page.reload()
    expect(page.locator(f"#{rij_id}")).to_contain_text("Gelezen")
    page.get_by_role("button", name="Markeer alles als gelezen").click()
    expect(page.locator("table.berichtenlijst tr.ongelezen")).to_have_count(0)


def test_contact_from_a_deelnemer_page_carries_its_context(portal_page, base_url, screenshots):
    page = portal_page
    login(page, base_url, "Anna de Vries")
    page.goto(f"{base_url}/deelnemers?contract=12345")
    page.locator("table tbody tr").first.locator("td").nth(2).get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/deelnemers/\d+$"))
    relatienummer = page.url.rstrip("/").rsplit("/", 1)[-1].split("?")[0]
    page.get_by_role("link", name="Stel een vraag over de getoonde informatie").click()
    assert "bsn" not in page.url.lower()
    context = page.locator(".context")
    expect(context).to_contain_text(relatienummer)
    expect(context).to_contain_text("12345")
    page.get_by_label("Uw vraag").fill("Klopt de ingangsdatum van deze deelnemer?")
    assert_accessible(page, "contact met context")
    page.get_by_role("button", name="Vraag versturen").click()
    expect(page.locator("#paginamelding")).to_contain_text("Uw vraag is verstuurd")
    expect(page.locator("table")).to_contain_text("Open")
    page.screenshot(path=screenshots / "contact.png", full_page=True)
