"""Real Chromium: login per level, the dashboard per role, logout, idle timeout, axe scans."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser import assert_accessible, login, logout

pytestmark = pytest.mark.browser


def test_htmx_loads_from_the_pinned_cdn_tag(portal_page, base_url):
    portal_page.goto(f"{base_url}/inloggen")
    assert portal_page.evaluate("typeof window.htmx") == "object"
    assert portal_page.evaluate("htmx.version") == "2.0.11"


def test_eh3_login_shows_the_dashboard(portal_page, base_url, screenshots):
    portal_page.goto(f"{base_url}/inloggen")
    assert_accessible(portal_page, "login")
    portal_page.get_by_role("button", name="Inloggen met eHerkenning").click()
    expect(portal_page.get_by_role("heading", name="Inloggen met eHerkenning")).to_be_visible()
    assert_accessible(portal_page, "leverancier")
    portal_page.get_by_label("Digidentity").check()
    portal_page.get_by_role("button", name="Verder").click()
    assert_accessible(portal_page, "middel")
    portal_page.get_by_label("Anna de Vries", exact=False).first.check()
    portal_page.get_by_role("button", name="Inloggen").click()
    expect(portal_page.get_by_role("heading", name="Welkom, Anna de Vries")).to_be_visible()
    expect(portal_page.get_by_text("12345 - Gemeente Leiden")).to_be_visible()
    portal_page.screenshot(path=screenshots / "dashboard-administratief.png", full_page=True)
    assert_accessible(portal_page, "dashboard")


def test_eh2_is_refused(portal_page, base_url):
    login(portal_page, base_url, "Gerrit Mulder")
    expect(portal_page.get_by_role("alert")).to_contain_text("niveau EH2")
    expect(portal_page.get_by_role("alert")).to_contain_text("EH2+ of EH3")
    assert_accessible(portal_page, "geweigerd")
    portal_page.goto(f"{base_url}/")
    assert "/inloggen" in portal_page.url


def test_unknown_identity_sees_how_to_request_an_account(portal_page, base_url, screenshots):
    login(portal_page, base_url, "Iris Vermeulen")
    expect(portal_page.get_by_role("heading", name="Geen MijnZZ Zakelijk account")).to_be_visible()
    portal_page.screenshot(path=screenshots / "geen-account.png", full_page=True)
    assert_accessible(portal_page, "geen account")


@pytest.mark.parametrize(
    "naam,zichtbaar,verborgen",
    [
        ("Anna de Vries", ["Contract gegevens", "Contact"], []),
        ("Bram Jansen", ["Contact"], []),
        ("Carla Bakker", ["Contact"], []),
    ],
)
def test_dashboard_per_role(portal_page, base_url, live_server, naam, zichtbaar, verborgen):
    login(portal_page, base_url, naam)
    nav = portal_page.get_by_role("navigation", name="Dashboard")
    expect(nav).to_be_visible()
    app = live_server[1]
    from portal.web.navigation import NAVIGATIE

    rollen = {
        "Anna de Vries": {"administratief"},
        "Bram Jansen": {"financieel"},
        "Carla Bakker": {"accountbeheer"},
    }[naam]
    for item in NAVIGATIE:
        if item.endpoint not in app.view_functions:
            continue
        link = nav.get_by_role("link", name=item.label, exact=True)
        if item.rollen & rollen:
            expect(link).to_be_visible()
        else:
            expect(link).to_have_count(0)
    logout(portal_page)


def test_logout_and_back_button(portal_page, base_url):
    login(portal_page, base_url, "Daan Visser")
    expect(portal_page.get_by_text("12346 - Gemeente Nieuwkoop")).to_be_visible()
    logout(portal_page)
    expect(portal_page.get_by_text("U bent uitgelogd.")).to_be_visible()
    portal_page.go_back()
    portal_page.reload()
    assert "/inloggen" in portal_page.url


def test_idle_timeout_returns_to_login(portal_page, base_url, live_server):
    app = live_server[1]
    login(portal_page, base_url, "Anna de Vries")
    expect(portal_page.get_by_role("heading", name="Welkom, Anna de Vries")).to_be_visible()
    app.config["SESSION_IDLE_TIMEOUT"] = timedelta(seconds=0)
    try:
        portal_page.wait_for_timeout(1100)
        portal_page.goto(f"{base_url}/")
    finally:
        app.config["SESSION_IDLE_TIMEOUT"] = timedelta(minutes=15)
    expect(portal_page.get_by_text("Uw sessie is verlopen")).to_be_visible()


def test_contact_form_with_context_and_errors(portal_page, base_url, screenshots):
    login(portal_page, base_url, "Bram Jansen")
    portal_page.get_by_role("link", name="Stel een vraag over de getoonde informatie").click()
    expect(portal_page.get_by_role("heading", name="Contact")).to_be_visible()
    portal_page.get_by_label("Onderwerp").fill("")
    portal_page.get_by_role("button", name="Vraag versturen").click()
    summary = portal_page.get_by_role("heading", name="Er is een probleem")
    expect(summary).to_be_focused()
    assert_accessible(portal_page, "contact met fouten")
    portal_page.get_by_label("Onderwerp").fill("Vraag over het dashboard")
    portal_page.get_by_label("Uw vraag").fill("Waar vind ik de borderellen?")
    portal_page.get_by_role("button", name="Vraag versturen").click()
    expect(portal_page.get_by_text("Uw vraag is verstuurd")).to_be_visible()
    expect(portal_page.get_by_role("cell", name="Vraag over het dashboard")).to_be_visible()
    portal_page.screenshot(path=screenshots / "contact.png", full_page=True)
    assert_accessible(portal_page, "contact")


def test_public_pages_are_accessible(portal_page, base_url):
    portal_page.goto(f"{base_url}/toegankelijkheid")
    expect(portal_page.get_by_role("heading", name="Toegankelijkheid")).to_be_visible()
    assert_accessible(portal_page, "toegankelijkheid")
    portal_page.goto(f"{base_url}/bestaat-niet")
    assert_accessible(portal_page, "404")


def test_keyboard_only_login(portal_page, base_url):
    portal_page.goto(f"{base_url}/inloggen")
    portal_page.keyboard.press("Tab")
    expect(portal_page.get_by_role("link", name="Direct naar de inhoud")).to_be_focused()
    portal_page.get_by_role("button", name="Inloggen met eHerkenning").focus()
    portal_page.keyboard.press("Enter")
    portal_page.get_by_role("button", name="Verder").focus()
    portal_page.keyboard.press("Enter")
    portal_page.get_by_role("button", name="Inloggen").focus()
    portal_page.keyboard.press("Enter")
    expect(portal_page.get_by_role("heading", name="Welkom, Anna de Vries")).to_be_visible()
