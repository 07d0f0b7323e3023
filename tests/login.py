"""Driving the portal from a Flask test client: used by the tests and the benchmarks.

``mock_login`` logs in through the real mock eHerkenning pages, so every check of the login flow
runs; ``direct_login`` starts the same server-side session without them, for the many tests that
only need to be logged in.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from flask import session

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
    page = client.get(
        "/mock-eherkenning/middel", query_string={"state": state, "audience": audience, "leverancier": "KPN"}
    )
    back = client.post(
        "/mock-eherkenning/middel",
        data={
            "csrf_token": csrf_token(page.text),
            "state": state,
            "audience": audience,
            "leverancier": "KPN",
            "middel": "eigen",
            "kvk_nummer": kvk,
            "pseudoniem": pseudoniem,
            "niveau": niveau,
        },
    )
    if back.status_code != 302:
        raise AssertionError(back.text)
    return client.get(back.headers["Location"])


def direct_login(client, gebruiker, niveau: str = "loa3") -> None:
    """Log ``gebruiker`` in on ``client`` without the login pages.

    ``portal.web.sessions.start`` runs as at the end of a real login (the AuthSession row, the
    last-login time, Flask-Login's keys), in a request context of its own as the real request
    had; the session it fills becomes the client's session cookie.
    """
    from portal.extensions import db
    from portal.models import Gebruiker
    from portal.transaction import transaction
    from portal.web import sessions

    application = client.application
    gebruiker_id = gebruiker.id
    with application.app_context(), application.test_request_context():
        with transaction():  # the test is the edge, as the login view is
            sessions.start(db.session.get(Gebruiker, gebruiker_id), niveau)
        contents = dict(session)
        db.session.remove()
    with client.session_transaction() as cookie_session:
        cookie_session.clear()
        cookie_session.update(contents)
