"""Fixtures: one app per test session (per xdist worker) with a fresh database per test,
logged-in clients per role, a browser.

Set ``TEST_DATABASE_URL`` to run against PostgreSQL instead of SQLite; each xdist worker then
works in a database of its own, created next to the one the URL names.

Building an app compiles every template again, so the app lives for the whole session and only
what a test can change is put back before the next one: the database (a copy of the empty
template file on SQLite, one TRUNCATE on PostgreSQL), ``app.config``, the Jinja globals and the
rate limiter's counters. A test that changes the app itself (adds a route) is marked
``own_app`` and gets an app of its own on the same database.
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
from sqlalchemy import create_engine, make_url, text
from werkzeug.serving import make_server

from portal import create_app, models  # noqa: F401 - the whole schema in db.metadata
from portal.config import normalise_database_url
from portal.extensions import db, limiter
from tests import factories
from tests.login import csrf_token, direct_login, mock_login

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "tests" / ".cache"
# "gw0", "gw1", ... under pytest-xdist; "main" in a run without it.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
_PG_BASE = normalise_database_url(os.environ.get("TEST_DATABASE_URL", "")) or None
# This worker's own database: the URL's database name with the worker id appended.
PG_URL = (
    make_url(_PG_BASE)
    .set(database=f"{make_url(_PG_BASE).database}_{WORKER}")
    .render_as_string(hide_password=False)
    if _PG_BASE
    else None
)


def pytest_configure(config):
    """Background tasks run inline, in the request that queues them. Browser tests that want a
    real consumer switch that off for a moment; their queue lives in tests/.cache, not instance/,
    one file per worker (and per database) so parallel runs do not share a queue."""
    CACHE.mkdir(parents=True, exist_ok=True)
    shared = str(CACHE / "huey.sqlite")
    if os.environ.get("HUEY_SQLITE_PATH", shared) == shared:  # ours, or inherited from the controller
        suffix = "" if WORKER == "main" and not _PG_BASE else f"-{WORKER}{'-pg' if _PG_BASE else ''}"
        os.environ["HUEY_SQLITE_PATH"] = str(CACHE / f"huey{suffix}.sqlite")
    from portal import tasks

    tasks.huey.immediate = True


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Schemathesis gives the items of one test, one per API operation, the same node id; xdist
    runs tests by node id, so it would run only one of them. Each gets the id pytest itself would
    build from its name (``test[POST /meldingen]``)."""
    seen: dict[str, int] = {}
    for item in items:
        seen[item.nodeid] = seen.get(item.nodeid, 0) + 1
    for item in items:
        if seen[item.nodeid] > 1 and hasattr(item, "_id") and hasattr(item.parent, "id"):
            item._id = item.parent.id.child(item.name)
    ids = [item.nodeid for item in items]
    assert len(ids) == len(set(ids)), "two tests share a node id: xdist would run one of them"


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


def _test_app(uri: str):
    application = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": uri})
    application.jinja_env.undefined = StrictUndefined
    application.test_client_class = FreshContextClient
    return application


def _create_pg_database() -> None:
    """(Re)create this worker's PostgreSQL database, empty."""
    engine = create_engine(_PG_BASE, isolation_level="AUTOCOMMIT")
    name = make_url(PG_URL).database
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


@pytest.fixture(scope="session")
def database(tmp_path_factory):
    """This worker's database with the schema: its URI and, on SQLite, the empty template file
    every test starts from."""
    if PG_URL:
        _create_pg_database()
        engine = create_engine(PG_URL)
        with engine.begin() as conn:
            db.metadata.create_all(conn)
        engine.dispose()
        return PG_URL, None
    folder = tmp_path_factory.mktemp("database")
    template = folder / "template.sqlite"
    engine = create_engine(f"sqlite:///{template}")
    with engine.begin() as conn:
        db.metadata.create_all(conn)
    engine.dispose()
    return f"sqlite:///{folder / 'portal.sqlite'}", template


@pytest.fixture(scope="session")
def template_db(database):
    """The empty SQLite database with the schema (None on PostgreSQL)."""
    return database[1]


@pytest.fixture(scope="session")
def session_app(database):
    """The app all tests of this worker share (see the module docstring)."""
    return _test_app(database[0])


_TABLES = ", ".join(t.name for t in db.metadata.sorted_tables)


def _reset_database(application, template: Path | None) -> None:
    """Empty the database the shared app works on."""
    with application.app_context():
        if template is None:
            # One statement for all tables; TRUNCATE fires no row triggers, so the append-only
            # audit_log empties too. The timeout turns a connection left in a transaction into
            # an error instead of a hang.
            with db.engine.begin() as conn:
                conn.execute(text("SET LOCAL lock_timeout = '10s'"))
                conn.execute(text(f"TRUNCATE {_TABLES} RESTART IDENTITY CASCADE"))
            return
        # No connection may stay open on the old file; the copy then replaces it whole (no
        # DELETE, which the audit_log triggers refuse).
        db.engine.dispose()
        path = Path(db.engine.url.database)
    for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        extra.unlink(missing_ok=True)
    shutil.copyfile(template, path)


@pytest.fixture
def app(request, session_app, database):
    """The app, on an empty database; what the test changes on it is undone afterwards."""
    uri, template = database
    own = request.node.get_closest_marker("own_app") is not None
    _reset_database(session_app, template)
    application = _test_app(uri) if own else session_app
    config = dict(application.config)
    jinja_globals = dict(application.jinja_env.globals)
    limiter.reset()
    with application.app_context():
        yield application
        db.session.remove()
    if own:
        with application.app_context():
            db.engine.dispose()
    application.config.clear()
    application.config.update(config)
    application.jinja_env.globals.clear()
    application.jinja_env.globals.update(jinja_globals)


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
    users["vreemd"] = factories.gebruiker(
        other, rollen=("administratief", "financieel", "accountbeheer"), contracten=[b], naam="Gebruiker Beta"
    )
    pa = factories.persoon(achternaam="Alfastra")
    pb = factories.persoon(achternaam="Betastra")
    factories.deelname(pa, a)
    factories.deelname(pb, b)
    db.session.commit()
    return World(org, a, b, users, pa, pb)


class Portal:
    """A test client that logs in and knows CSRF."""

    def __init__(self, client):
        self.client = client

    def csrf(self, path: str = "/inloggen") -> str:
        """The CSRF token from a page's meta tag."""
        return csrf_token(self.client.get(path).get_data(as_text=True))

    def login_identity(self, kvk: str, pseudoniem: str, niveau: str = "loa3"):
        """Run the whole mock eHerkenning login; return the assertion consumer's final response."""
        return mock_login(self.client, kvk, pseudoniem, niveau)

    def login(self, gebruiker, niveau: str = "loa3", *, flow: bool = False):
        """Log in as an existing account. By default the session starts directly (the login's
        one database write, see ``tests.login.direct_login``); ``flow=True`` runs the real mock
        eHerkenning pages and returns the assertion consumer's response, for tests about the
        login itself."""
        if not flow:
            direct_login(self.client, gebruiker, niveau)
            return None
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
    """Return a logged-in Portal for a role of ``world`` (or 'vreemd' for the foreign user);
    ``flow=True`` logs in through the mock eHerkenning pages instead of directly."""

    def make(rol: str, *, flow: bool = False) -> Portal:
        p = Portal(app.test_client())
        p.login(world.users[rol], flow=flow)
        return p

    return make


# ---------------------------------------------------------------- browser -----------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


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
        subprocess.run(
            ["npm", "pack", f"htmx.org@{HTMX_VERSION}", "--silent"], cwd=work, check=True, capture_output=True
        )
        tarball = next(work.glob("htmx.org-*.tgz"))
        subprocess.run(["tar", "-xzf", tarball.name], cwd=work, check=True)
        shutil.copy(work / "package" / "dist" / "htmx.min.js", target)
    return target


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The portal with demo data, served from a real server thread."""
    path = tmp_path_factory.mktemp("live") / "portal.sqlite"
    application = create_app(
        {**BASE_CONFIG, "RERAISE_ERRORS": False, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"}
    )
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
            request_route.fulfill(
                status=200,
                body=body,
                headers={"Content-Type": "application/javascript", "Access-Control-Allow-Origin": "*"},
            )
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
