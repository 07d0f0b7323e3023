"""The audit trail: who, when, what, on whose behalf; never a BSN; no forged lines."""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import select

from portal.domain import audit
from portal.extensions import db
from portal.models import AuditLog
from portal.transaction import transaction
from portal.web import audit as web_audit

pytestmark = pytest.mark.postgres


def _entries(gebeurtenis: str) -> list[AuditLog]:
    return db.session.scalars(select(AuditLog).where(AuditLog.gebeurtenis == gebeurtenis)).all()


def test_login_and_logout_are_recorded(login_as, world):
    portal = login_as("administratief", flow=True)
    portal.post("/uitloggen")
    [login] = _entries("login")
    user = world.users["administratief"]
    assert login.gebruiker_id == user.id and login.rollen == "administratief"
    assert login.organisatie_id == world.org.id
    assert login.route == "GET /inloggen/eherkenning" and login.actie == "login"
    assert login.tijd.utcoffset().total_seconds() == 0
    assert _entries("logout")[0].gebruiker_id == user.id


@pytest.mark.own_app  # adds a route
def test_refused_access_is_recorded(login_as, app):
    from portal.web import access

    @app.get("/alleen-beheer")
    @access.requires("accountbeheer")
    def alleen_beheer():
        return "ok"

    login_as("financieel").client.get("/alleen-beheer")
    [entry] = _entries("toegang_geweigerd")
    assert entry.uitkomst == "geweigerd" and entry.details["endpoint"] == "alleen_beheer"


def test_logs_never_hold_a_bsn_and_cannot_be_forged(app, login_as, world, caplog):
    caplog.set_level(logging.INFO, logger="portal")
    portal = login_as("administratief")
    bsn = world.persoon_a.bsn
    with app.test_request_context("/"), transaction():
        web_audit.record(
            "zoeken",
            "read",
            details={"zoekterm": f"bsn {bsn}\nFAKE LINE"},
            relatienummers=[world.persoon_a.relatienummer],
            gebruiker=world.users["administratief"],
        )
    portal.client.get("/")
    text = caplog.text
    assert not re.search(r"(?<!\d)\d{9}(?!\d)", text)
    assert "\nFAKE LINE" not in text
    stored = _entries("zoeken")[0]
    assert bsn not in str(stored.details)
    assert stored.relatienummers == [world.persoon_a.relatienummer]


def test_mask_covers_nested_values():
    assert audit.mask({"a": ["x 999912345 y"], "b": "1234567890"}) == {
        "a": ["x ********* y"],
        "b": "1234567890",
    }


@pytest.mark.own_app  # adds a route
def test_database_errors_are_logged_without_personal_data(app, client, caplog):
    from portal.web.access import PUBLIC_ENDPOINTS
    from tests import factories

    first = factories.persoon()
    db.session.commit()
    app.config["RERAISE_ERRORS"] = False

    @app.get("/dubbel")
    def dubbel():
        factories.persoon(bsn=first.bsn)  # violates the unique BSN

    PUBLIC_ENDPOINTS.add("dubbel")
    caplog.set_level(logging.INFO)
    try:
        response = client.get("/dubbel")
    finally:
        PUBLIC_ENDPOINTS.discard("dubbel")
    assert response.status_code == 500
    assert "IntegrityError" in caplog.text  # the error is logged ...
    assert first.bsn not in caplog.text  # ... without the BSN, on SQLite and PostgreSQL
    assert first.bsn not in response.get_data(as_text=True)
