"""Driving the portal from a Flask test client: used by the tests and the benchmarks.

Logs in through the real mock eHerkenning pages, so every check of the login flow runs.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

_CSRF_META = re.compile(r'name="csrf-token" content="([^"]+)"')


def csrf_token(html: str) -> str:
    """The CSRF token from a page's meta tag."""
    match = _CSRF_META.search(html)
    if match is None:
        raise AssertionError("page has no CSRF meta tag")
    return match.group(1)


def mock_login(client, kvk: str, pseudoniem: str, niveau: str = "loa3"):
    """Log in with an own middel at the mock provider; return the assertion consumer's response."""
    start = client.post("/inloggen", data={"csrf_token": csrf_token(client.get("/inloggen").text)})
    if start.status_code != 302:
        raise AssertionError(f"login did not start: {start.status_code}")
    query = parse_qs(urlparse(start.headers["Location"]).query)
    state, audience = query["state"][0], query["audience"][0]
    if client.get(start.headers["Location"]).status_code != 200:  # the leverancier page
        raise AssertionError("mock provider unreachable")
    page = client.get("/mock-eherkenning/middel",
                      query_string={"state": state, "audience": audience, "leverancier": "KPN"})
    back = client.post("/mock-eherkenning/middel", data={
        "csrf_token": csrf_token(page.text), "state": state, "audience": audience,
        "leverancier": "KPN", "middel": "eigen", "kvk_nummer": kvk, "pseudoniem": pseudoniem,
        "niveau": niveau})
    if back.status_code != 302:
        raise AssertionError(back.text)
    return client.get(back.headers["Location"])
