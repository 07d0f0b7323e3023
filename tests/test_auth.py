"""Login with (mock) eHerkenning, sessions and logout: the negative cases of SECURITY.md."""

from __future__ import annotations

import time
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import select

from portal import create_app
from portal.extensions import db
from portal.models import AuditLog, AuthSession
from portal.models.types import utcnow
from portal.web.eherkenning import Identiteit, MockBroker
from tests.conftest import BASE_CONFIG, Portal
from tests.login import csrf_token

pytestmark = pytest.mark.postgres


def _begin(portal: Portal) -> str:
    """Start a login and return its state (the browser is now bound to it)."""
    start = portal.client.post("/inloggen", data={"csrf_token": portal.csrf()})
    return parse_qs(urlparse(start.headers["Location"]).query)["state"][0]


def _assertion(app, state: str, kvk: str, pseudo: str, niveau="loa3", audience=None) -> str:
    with app.test_request_context():
        return MockBroker().issue(
            Identiteit(kvk, pseudo, niveau), state, audience or app.config["EHERKENNING_AUDIENCE"]
        )


def _logged_in(client) -> bool:
    return client.get("/").status_code == 200


def _refusals(reason: str) -> int:
    return len(
        [
            a
            for a in db.session.scalars(select(AuditLog)).all()
            if a.gebeurtenis == "login_geweigerd" and a.details.get("reden") == reason
        ]
    )


def test_eh3_login_reaches_the_dashboard(portal, world):
    user = world.users["administratief"]
    response = portal.login(user, flow=True)
    assert response.headers["Location"] == "/"
    page = portal.client.get("/")
    assert page.status_code == 200
    assert "Welkom, Gebruiker administratief" in page.get_data(as_text=True)
    assert db.session.scalar(select(AuthSession).where(AuthSession.gebruiker_id == user.id)).loa == "loa3"


def test_eh2plus_is_accepted(portal, world):
    portal.login(world.users["financieel"], niveau="loa2plus", flow=True)
    assert _logged_in(portal.client)


@pytest.mark.parametrize("niveau,label", [("loa2", "EH2"), ("loa1", "EH1")])
def test_lower_levels_are_refused_with_a_dutch_explanation(portal, world, niveau, label):
    user = world.users["administratief"]
    response = portal.login_identity(user.kvk_nummer, user.pseudoniem, niveau)
    body = response.get_data(as_text=True)
    assert response.status_code == 403
    assert f"niveau {label}" in body and "EH2+ of EH3" in body
    assert not _logged_in(portal.client)
    assert _refusals("niveau_te_laag") == 1


def test_unknown_identity_gets_the_no_account_page(portal, world):
    response = portal.login_identity(world.org.kvk_nummer, "niemand-bekend")
    assert response.status_code == 403
    assert "nog geen MijnZZ Zakelijk account" in response.get_data(as_text=True)
    assert not _logged_in(portal.client)
    assert _refusals("geen_account") == 1


def test_same_pseudonym_under_another_kvk_is_another_person(portal, world):
    user = world.users["administratief"]
    other_kvk = world.users["vreemd"].kvk_nummer
    response = portal.login_identity(other_kvk, user.pseudoniem)
    assert response.status_code == 403
    assert not _logged_in(portal.client)


def test_tampered_assertion_is_refused(app, portal, world):
    user = world.users["administratief"]
    state = _begin(portal)
    assertion = _assertion(app, state, user.kvk_nummer, user.pseudoniem)
    _, timestamp, signature = assertion.rsplit(".", 2)
    other_payload = _assertion(app, state, user.kvk_nummer, "iemand-anders").rsplit(".", 2)[0]
    forged = f"{other_payload}.{timestamp}.{signature}"
    assert forged != assertion
    response = portal.client.get("/inloggen/eherkenning", query_string={"assertion": forged})
    assert response.status_code == 400
    assert not _logged_in(portal.client)


def test_assertion_signed_with_another_key_is_refused(app, portal, world):
    user = world.users["administratief"]
    state = _begin(portal)
    app.config["MOCK_EHERKENNING_KEY"] = "een-andere-sleutel"
    assertion = _assertion(app, state, user.kvk_nummer, user.pseudoniem)
    app.config["MOCK_EHERKENNING_KEY"] = None
    response = portal.client.get("/inloggen/eherkenning", query_string={"assertion": assertion})
    assert response.status_code == 400
    assert not _logged_in(portal.client)


def test_unsigned_assertion_is_refused(portal, world):
    _begin(portal)
    response = portal.client.get("/inloggen/eherkenning", query_string={"assertion": "eyJsb2EiOiJsb2EzIn0"})
    assert response.status_code == 400
    assert not _logged_in(portal.client)


def test_expired_assertion_is_refused(app, portal, world, monkeypatch):
    user = world.users["administratief"]
    state = _begin(portal)
    with monkeypatch.context() as m:
        m.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - 600)
        assertion = _assertion(app, state, user.kvk_nummer, user.pseudoniem)
    response = portal.client.get("/inloggen/eherkenning", query_string={"assertion": assertion})
    assert response.status_code == 400
    assert "verlopen" in response.get_data(as_text=True)
    assert not _logged_in(portal.client)


def test_wrong_audience_is_refused(app, portal, world):
    user = world.users["administratief"]
    state = _begin(portal)
    assertion = _assertion(app, state, user.kvk_nummer, user.pseudoniem, audience="urn:ander")
    response = portal.client.get("/inloggen/eherkenning", query_string={"assertion": assertion})
    assert response.status_code == 400
    assert not _logged_in(portal.client)


def test_assertion_for_another_browsers_state_is_refused(app, portal, world):
    user = world.users["administratief"]
    _begin(portal)
    other = Portal(app.test_client())
    other_state = _begin(other)
    assertion = _assertion(app, other_state, user.kvk_nummer, user.pseudoniem)
    response = portal.client.get("/inloggen/eherkenning", query_string={"assertion": assertion})
    assert response.status_code == 400
    assert not _logged_in(portal.client)


def test_replayed_assertion_is_refused(app, portal, world):
    user = world.users["administratief"]
    state = _begin(portal)
    cookie = portal.client.get_cookie("portal_session").value
    assertion = _assertion(app, state, user.kvk_nummer, user.pseudoniem)
    first = portal.client.get("/inloggen/eherkenning", query_string={"assertion": assertion})
    assert first.status_code == 302
    # An attacker with the same pre-login cookie and the same assertion gets nothing.
    thief = app.test_client()
    thief.set_cookie("portal_session", cookie)
    replay = thief.get("/inloggen/eherkenning", query_string={"assertion": assertion})
    assert replay.status_code == 400
    assert not _logged_in(thief)


def test_login_gives_a_new_session_cookie(portal, world):
    portal.csrf()
    before = portal.client.get_cookie("portal_session").value
    portal.login(world.users["administratief"], flow=True)
    after = portal.client.get_cookie("portal_session").value
    assert before != after
    # The pre-login cookie is useless after login.
    other = portal.client.application.test_client()
    other.set_cookie("portal_session", before)
    assert not _logged_in(other)


def test_logout_ends_the_session_on_the_server(app, portal, world):
    portal.login(world.users["administratief"], flow=True)
    cookie = portal.client.get_cookie("portal_session").value
    response = portal.post("/uitloggen")
    assert response.status_code == 302 and "uitgelogd=1" in response.headers["Location"]
    replay = app.test_client()
    replay.set_cookie("portal_session", cookie)
    assert replay.get("/").status_code == 302
    row = db.session.scalar(select(AuthSession))
    assert row.ended_reason == "uitgelogd"


def test_idle_timeout_logs_out_and_htmx_gets_hx_redirect(portal, world, monkeypatch):
    portal.login(world.users["administratief"], flow=True)
    assert _logged_in(portal.client)
    later = utcnow() + timedelta(minutes=16)
    monkeypatch.setattr("portal.web.sessions.utcnow", lambda: later)
    response = portal.client.get("/", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == "/inloggen?verlopen=1"
    assert portal.client.get("/").status_code == 302


def test_activity_keeps_the_session_alive_until_the_absolute_limit(portal, world, monkeypatch):
    portal.login(world.users["administratief"], flow=True)
    start = utcnow()
    for minutes in range(10, 8 * 60, 10):  # active every 10 minutes
        moment = start + timedelta(minutes=minutes)
        monkeypatch.setattr("portal.web.sessions.utcnow", lambda moment=moment: moment)
        assert portal.client.get("/").status_code == 200, minutes
    moment = start + timedelta(hours=8, minutes=1)
    monkeypatch.setattr("portal.web.sessions.utcnow", lambda: moment)
    response = portal.client.get("/")
    assert response.status_code == 302 and "verlopen=1" in response.headers["Location"]
    assert db.session.scalar(select(AuthSession)).ended_reason == "maximale_duur"


def test_deactivated_account_is_out_at_its_next_request(portal, world):
    user = world.users["administratief"]
    portal.login(user, flow=True)
    assert _logged_in(portal.client)
    user.actief = False
    db.session.commit()
    assert portal.client.get("/").status_code == 302
    # And cannot log in again.
    again = portal.login_identity(user.kvk_nummer, user.pseudoniem)
    assert again.status_code == 403 and "gedeactiveerd" in again.get_data(as_text=True)


def test_session_cookie_flags_in_development(portal, world):
    response = portal.client.get("/inloggen")
    header = response.headers["Set-Cookie"]
    assert "HttpOnly" in header and "SameSite=Lax" in header


def test_production_configuration(monkeypatch, tmp_path):
    app = create_app(
        {
            "PORTAL_ENV": "production",
            "SECRET_KEY": "x" * 32,
            "MOCK_EHERKENNING_ENABLED": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite'}",
        }
    )
    assert app.config["MOCK_EHERKENNING_ENABLED"] is False
    assert "mock_eherkenning" not in app.blueprints
    with app.app_context():
        db.create_all()
    client = app.test_client()
    response = client.get("/inloggen", base_url="https://portal.example")
    header = response.headers["Set-Cookie"]
    assert header.startswith("__Host-portal_session=")
    assert "Secure" in header and "HttpOnly" in header and "SameSite=Lax" in header
    assert "Path=/" in header and "Domain" not in header
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    # With the mock off the login cannot start.
    token = csrf_token(response.get_data(as_text=True))
    start = client.post(
        "/inloggen",
        data={"csrf_token": token},
        base_url="https://portal.example",
        headers={"Referer": "https://portal.example/inloggen"},
    )
    assert start.status_code == 503
    assert client.get("/mock-eherkenning/").status_code == 404


def test_production_requires_a_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError):
        create_app({"PORTAL_ENV": "production"})


def test_login_is_rate_limited(tmp_path, template_db):
    import shutil

    from tests.conftest import PG_URL

    if PG_URL:
        uri = PG_URL
    else:
        shutil.copy(template_db, tmp_path / "r.sqlite")
        uri = f"sqlite:///{tmp_path / 'r.sqlite'}"
    app = create_app({**BASE_CONFIG, "RATELIMIT_LOGIN": "3 per minute", "SQLALCHEMY_DATABASE_URI": uri})
    from portal.extensions import limiter

    with app.app_context():
        limiter.reset()
        portal = Portal(app.test_client())
        codes = [
            portal.client.post("/inloggen", data={"csrf_token": portal.csrf()}).status_code for _ in range(4)
        ]
        assert codes == [302, 302, 302, 429]
        db.engine.dispose()
