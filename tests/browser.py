"""Helpers for browser tests: log in through the mock eHerkenning pages, run axe."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_axe = Axe()


def login(page, base_url: str, naam: str) -> None:
    """Log in as a demo identity by clicking through the portal and the mock provider."""
    page.goto(f"{base_url}/inloggen")
    page.get_by_role("button", name="Inloggen met eHerkenning").click()
    page.get_by_label("KPN").check()
    page.get_by_role("button", name="Verder").click()
    page.get_by_label(naam, exact=False).first.check()
    page.get_by_role("button", name="Inloggen").click()


def logout(page) -> None:
    """Click Uitloggen."""
    page.get_by_role("button", name="Uitloggen").click()


def assert_accessible(page, context: str = "") -> None:
    """axe with the WCAG 2.1 A and AA tags finds no violation."""
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
    assert results.violations_count == 0, f"{context}\n{results.generate_report()}"
