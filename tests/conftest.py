"""Fixtures: an app with a fresh database per test, logged-in clients per role, a browser.

Set ``TEST_DATABASE_URL`` to run against PostgreSQL instead of SQLite.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from jinja2 import StrictUndefined
from sqlalchemy import text
from werkzeug.serving import make_server

from portal import create_app
from portal.config import normalise_database_url
from portal.extensions import db, limiter
from tests import factories
from tests.login import csrf_token, mock_login

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "tests" / ".cache"
PG_URL = normalise_database_url(os.environ.get("TEST_DATABASE_URL", "")) or None



def pytest_configure(config):
    """Background tasks run inline, in the request that queues them. Browser tests that want a
    real consumer switch that off for a moment; their queue lives in tests/.cache, not instance/."""
    CACHE.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("HUEY_SQLITE_PATH", str(CACHE / "huey.sqlite"))
    from portal import tasks

    tasks.huey.immediate = True


BASE_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-not-for-production",
    "MOCK_EHERKENNING_ENABLED": True,
    "RERAISE_ERRORS": True,
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_LOGIN": "1000 per minute",
    "SERVER_NAME": None,
}


class FreshContextClient(FlaskClient):
    """Each request gets its own app context, as in production.

    Without this, requests reuse the test's app context and so share ``g`` and the
    database session with the test and with each other.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory):
    """Create the schema once; each test copies it (SQLite) or truncates (PostgreSQL)."""
    if PG_URL:
        app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": PG_URL})
        with app.app_context():
            db.drop_all()
            with db.engine.begin() as conn:
                conn.execute(text("DROP FUNCTION IF EXISTS audit_log_append_only() CASCADE"))
            db.create_all()
            db.engine.dispose()
        return None
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    return path


@pytest.fixture
def app(template_db, tmp_path):
    """A fresh app and database for one test."""
    if PG_URL:
        uri = PG_URL
    else:
        path = tmp_path / "portal.sqlite"
        shutil.copy(template_db, path)
        uri = f"sqlite:///{path}"
    application = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": uri})
    application.jinja_env.undefined = StrictUndefined
    application.test_client_class = FreshContextClient
    with application.app_context():
        if PG_URL:
            tables = ", ".join(t.name for t in db.metadata.sorted_tables)
            db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            db.session.commit()
        limiter.reset()
        yield application
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    """A test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner."""
    return app.test_cli_runner()


@dataclass
class World:
    """Two organisations: ours (contract A, users per role) and a foreign one (contract B)."""

    org: object
    contract_a: object
    contract_b: object
    users: dict
    persoon_a: object
    persoon_b: object


@pytest.fixture
def world(app) -> World:
    """The standard data set for access tests."""
    org = factories.organisatie(naam="Gemeente Alfa")
    other = factories.organisatie(naam="Gemeente Beta")
    a = factories.contract(org, naam="Gemeente Alfa")
    b = factories.contract(other, naam="Gemeente Beta")
    users = {
        rol: factories.gebruiker(org, rollen=(rol,), contracten=[a], naam=f"Gebruiker {rol}")
        for rol in ("administratief", "financieel", "accountbeheer")
    }
    users["vreemd"] = factories.gebruiker(other, rollen=("administratief", "financieel",
                                                         "accountbeheer"),
                                          contracten=[b], naam="Gebruiker Beta")
    pa = factories.persoon(achternaam="Alfastra")
    pb = factories.persoon(achternaam="Betastra")
    factories.deelname(pa, a)
    factories.deelname(pb, b)
    db.session.commit()
    return World(org, a, b, users, pa, pb)


class Portal:
    """A test client that logs in through the mock eHerkenning flow and knows CSRF."""

    def __init__(self, client):
        self.client = client

    def csrf(self, path: str = "/inloggen") -> str:
        """The CSRF token from a page's meta tag."""
        return csrf_token(self.client.get(path).get_data(as_text=True))

    def login_identity(self, kvk: str, pseudoniem: str, niveau: str = "loa3"):
        """Run the whole login; return the final response of the assertion consumer."""
        return mock_login(self.client, kvk, pseudoniem, niveau)

    def login(self, gebruiker, niveau: str = "loa3"):
        """Log in as an existing account."""
        response = self.login_identity(gebruiker.kvk_nummer, gebruiker.pseudoniem, niveau)
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    def post(self, path: str, data: dict | None = None, csrf_from: str = "/", **kw):
        """POST with a valid CSRF token taken from ``csrf_from``."""
        return self.client.post(path, data={"csrf_token": self.csrf(csrf_from), **(data or {})}, **kw)


@pytest.fixture
def portal(client) -> Portal:
    """The client wrapped with login and CSRF helpers."""
    return Portal(client)


@pytest.fixture
def login_as(app, world):
    """Return a logged-in Portal for a role of ``world`` (or 'vreemd' for the foreign user)."""

    def make(rol: str) -> Portal:
        p = Portal(app.test_client())
        p.login(world.users[rol])
        return p

    return make


# ---------------------------------------------------------------- browser -----------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's Chromium (Playwright cannot download its own here)."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def htmx_file() -> Path:
    """The pinned htmx release, fetched from the npm registry once (``npm pack``)."""
    from portal.web.security import HTMX_VERSION

    target = CACHE / f"htmx-{HTMX_VERSION}.min.js"
    if not target.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        work = CACHE / "npm"
        work.mkdir(exist_ok=True)
        subprocess.run(["npm", "pack", f"htmx.org@{HTMX_VERSION}", "--silent"], cwd=work,
                       check=True, capture_output=True)
        tarball = next(work.glob("htmx.org-*.tgz"))
        subprocess.run(["tar", "-xzf", tarball.name], cwd=work, check=True)
        shutil.copy(work / "package" / "dist" / "htmx.min.js", target)
    return target


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The portal with demo data, served from a real server thread."""
    path = tmp_path_factory.mktemp("live") / "portal.sqlite"
    application = create_app({**BASE_CONFIG, "RERAISE_ERRORS": False,
                              "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with application.app_context():
        db.create_all()
        from portal.demo import data

        data.load()
        db.session.remove()
    server = make_server("127.0.0.1", 0, application, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", application
    server.shutdown()


@pytest.fixture(scope="session")
def base_url(live_server):
    """The live server's address (pytest-playwright uses it for relative page.goto)."""
    return live_server[0]


@pytest.fixture
def portal_page(page, live_server, htmx_file):
    """A Playwright page where the htmx CDN is served from the local copy; all else offline."""
    from portal.web.security import HTMX_URL

    body = htmx_file.read_bytes()

    def route(request_route):
        url = request_route.request.url
        if url == HTMX_URL:
            request_route.fulfill(status=200, body=body, headers={
                "Content-Type": "application/javascript", "Access-Control-Allow-Origin": "*"})
        elif url.startswith(live_server[0]):
            request_route.continue_()
        else:
            request_route.abort()

    page.route("**/*", route)
    page.set_default_timeout(10_000)
    return page


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Where browser tests leave screenshots to look at."""
    path = ROOT / "screenshots"
    path.mkdir(exist_ok=True)
    return path
