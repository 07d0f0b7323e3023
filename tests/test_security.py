"""Headers, CSRF, output encoding, error pages, cache and htmx rules of SECURITY.md."""

from __future__ import annotations

import pytest

from portal.extensions import db
from portal.web.security import HTMX_INTEGRITY, HTMX_URL

pytestmark = pytest.mark.postgres


def _assert_headers(response):
    csp = response.headers["Content-Security-Policy"]
    # Scripts: our own and the one pinned htmx file, not everything the CDN serves.
    assert "script-src 'self' https://cdn.jsdelivr.net/npm/htmx.org@" in csp
    assert "https://cdn.jsdelivr.net " not in csp + " " and "https://cdn.jsdelivr.net;" not in csp
    for part in (
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ):
        assert part in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "HX-Request" in response.headers["Vary"]


@pytest.mark.parametrize(
    "path", ["/inloggen", "/toegankelijkheid", "/static/portal.css", "/bestaat-niet", "/gezond"]
)
def test_headers_on_public_responses(client, path):
    _assert_headers(client.get(path))


def test_headers_and_no_store_on_pages_with_personal_data(login_as):
    portal = login_as("administratief")
    response = portal.client.get("/")
    _assert_headers(response)
    assert response.headers["Cache-Control"] == "no-store"
    assert 'hx-history="false"' in response.get_data(as_text=True)


def test_htmx_is_pinned_with_sri_and_csrf_listener(client):
    html = client.get("/inloggen").get_data(as_text=True)
    assert f'src="{HTMX_URL}"' in html
    assert f'integrity="{HTMX_INTEGRITY}"' in html
    assert 'crossorigin="anonymous"' in html
    assert '"includeIndicatorStyles": false' in html
    assert "hx-on" not in html
    assert "X-CSRFToken" in client.get("/static/portal.js").get_data(as_text=True)


def test_post_without_csrf_token_is_refused(login_as):
    portal = login_as("administratief")
    response = portal.client.post("/uitloggen")
    assert response.status_code == 400
    assert portal.client.get("/").status_code == 200  # still logged in


def test_htmx_header_token_is_accepted(login_as):
    portal = login_as("administratief")
    token = portal.csrf("/")
    response = portal.client.post("/uitloggen", headers={"X-CSRFToken": token})
    assert response.status_code == 302
    assert portal.client.get("/").status_code == 302


@pytest.mark.parametrize("path", ["/uitloggen"])
def test_get_on_a_mutating_route_is_405(login_as, path):
    portal = login_as("administratief")
    assert portal.client.get(path).status_code == 405


def test_user_data_is_encoded(login_as, world):
    user = world.users["administratief"]
    user.naam = '"><img src=x onerror=alert(1)>'
    db.session.commit()
    portal = login_as("administratief")
    html = portal.client.get("/").get_data(as_text=True)
    assert "<img src=x" not in html
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.own_app  # adds a route
def test_error_pages_are_generic(app, client):
    app.config["RERAISE_ERRORS"] = False

    @app.get("/kapot")
    def kapot():
        raise RuntimeError("geheime interne details")

    from portal.web.access import PUBLIC_ENDPOINTS

    PUBLIC_ENDPOINTS.add("kapot")
    try:
        response = client.get("/kapot")
    finally:
        PUBLIC_ENDPOINTS.discard("kapot")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Er ging iets mis" in body
    assert "geheime" not in body and "Traceback" not in body
    assert app.debug is False


def test_history_restore_gets_the_full_page(login_as):
    portal = login_as("administratief")
    response = portal.client.get("/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in response.get_data(as_text=True)


def test_sqlite_settings(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_health_check(client):
    assert client.get("/gezond").get_json() == {"status": "ok"}


def test_toegankelijkheid_is_public(client):
    response = client.get("/toegankelijkheid")
    assert response.status_code == 200
    assert "WCAG" in response.get_data(as_text=True)


def test_no_model_has_a_bsn_in_its_url_rules(app):
    # URLs never carry a BSN: no route has a bsn parameter.
    assert not [r.rule for r in app.url_map.iter_rules() if "bsn" in r.rule.lower()]


def test_a_nul_byte_in_a_form_is_refused_in_dutch_and_stores_nothing(login_as):
    """PostgreSQL refuses a NUL byte in text: without this check the question below was a 500."""
    from sqlalchemy import func, select

    from portal.models import ContactVraag

    portal = login_as("financieel")
    response = portal.post(
        "/contact", {"onderwerp": "Borderel", "vraag": "De kor\x00ting", "pagina": "/borderellen"}
    )
    assert response.status_code == 400
    assert "stuurteken" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(ContactVraag)) == 0


@pytest.mark.parametrize("path", ["/deelnemers?achternaam=Di%00jk", "/deelnemers/1000%000"])
def test_a_nul_byte_in_the_query_or_the_path_is_400(login_as, path):
    response = login_as("administratief").client.get(path)
    assert response.status_code == 400 and "stuurteken" in response.get_data(as_text=True)


def test_api_credentials_with_a_nul_byte_are_wrong_credentials(client):
    import base64

    auth = "Basic " + base64.b64encode("flex\x00api:geheim".encode()).decode()
    response = client.post(
        "/api/v1/meldingen", json={"melding_id": "x", "soort": "aanmelding"}, headers={"Authorization": auth}
    )
    assert response.status_code == 401 and response.json["fout"] == "niet_geauthenticeerd"
