"""The migrations build exactly the schema the models describe."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect, text

from portal import create_app
from portal.extensions import db
from tests.conftest import BASE_CONFIG, PG_URL

pytestmark = pytest.mark.postgres


def test_upgrade_matches_the_models(tmp_path):
    if PG_URL:
        engine = create_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        uri = PG_URL
    else:
        uri = f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": uri})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": False})
            diff = compare_metadata(context, db.metadata)
            assert diff == []
            names = inspect(conn).get_table_names()
            assert {"deelname", "audit_log", "melding", "borderel"} <= set(names)
        db.engine.dispose()
    # On PostgreSQL the migrated schema stays: it is the models' schema, as the diff shows.
