"""The business portal for collective health-insurance contracts."""

from __future__ import annotations

import logging
import os

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.routing import IntegerConverter

from portal import config as portal_config
from portal.extensions import csrf, db, limiter, login_manager, migrate

HERE = os.path.dirname(__file__)


class IdConverter(IntegerConverter):
    """``<int:...>`` in every route: the ids are database integers, so a larger number is no id
    and matches no route (404). Otherwise PostgreSQL refused it in the query: a 500."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=2**31 - 1, signed=False):
        super().__init__(url_map, fixed_digits, min, max, signed)


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: defaults, ``instance/config.py``, environment, then ``test_config``."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(portal_config.DEFAULTS)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "portal.sqlite")
    app.config.from_pyfile("config.py", silent=True)
    portal_config.load_environment(app.config)
    if test_config:
        app.config.update(test_config)
    portal_config.apply_production(app.config)
    portal_config.engine_options(app.config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = portal_config.instance_secret_key(app.instance_path)

    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_hooks(app)
    register_commands(app)
    register_template_helpers(app)
    return app


def register_extensions(app: Flask) -> None:
    """Attach the extensions created in ``portal.extensions``."""
    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(HERE, "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    # Import models so the metadata is complete for migrations and create_all, and the
    # transaction module for its SQLite rule for savepoints.
    from portal import models, transaction  # noqa: F401
    from portal.web.sessions import register_login_manager

    register_login_manager(login_manager)


def register_blueprints(app: Flask) -> None:
    """Register every area's blueprint; the mock identity provider only when switched on."""
    # Before any rule is added: rules take their converters when they are added.
    app.url_map.converters["int"] = IdConverter
    from portal.blueprints import (
        aanmelden,
        aanvragen,
        accounts,
        api,
        auth,
        berichten,
        borderellen,
        contact,
        contract,
        dashboard,
        deelnemers,
        gebruik,
        koppeling,
        mislukt,
        mock_eherkenning,
        pages,
        stroom,
        upload,
        verslagen,
    )

    app.register_blueprint(pages.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(dashboard.bp)
    app.register_blueprint(contact.bp)
    app.register_blueprint(deelnemers.bp)
    app.register_blueprint(aanmelden.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(upload.bp)
    app.register_blueprint(verslagen.bp)
    app.register_blueprint(mislukt.bp)
    app.register_blueprint(koppeling.bp)
    app.register_blueprint(stroom.bp)
    app.register_blueprint(gebruik.bp)
    app.register_blueprint(contract.bp)
    app.register_blueprint(borderellen.bp)
    app.register_blueprint(berichten.bp)
    app.register_blueprint(accounts.bp)
    app.register_blueprint(aanvragen.bp)
    if app.config["MOCK_EHERKENNING_ENABLED"]:
        app.register_blueprint(mock_eherkenning.bp)


def register_errorhandlers(app: Flask) -> None:
    """Generic Dutch error pages, no internals."""
    from portal.web.errors import register

    register(app)


def register_hooks(app: Flask) -> None:
    """Security headers and the per-request rules of ``portal.web.security``."""
    from portal.web.security import register

    register(app)


def register_commands(app: Flask) -> None:
    """The back-office and demo-data commands."""
    from portal.cli import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    """Filters and globals used by the templates."""
    from portal.web.templating import register

    register(app)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """WAL, a busy timeout, foreign keys and a 32 MB page cache on every SQLite connection.

    The default cache (2 MB) makes a list of thousands of deelnemers read the person pages
    from the operating system again on every request; 32 MB keeps a big contract's hot pages.
    """
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA cache_size=-32768")
    cursor.close()


logging.getLogger("portal").addHandler(logging.NullHandler())
