"""Engine settings that depend on the database, and what a web worker loads."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from portal import config, create_app


def test_postgresql_plans_each_statement_for_its_values():
    pg = {
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://x@h/db",
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    }
    config.engine_options(pg)
    assert pg["SQLALCHEMY_ENGINE_OPTIONS"] == {
        "pool_pre_ping": True,
        "connect_args": {"options": "-c plan_cache_mode=force_custom_plan"},
    }
    sqlite = {"SQLALCHEMY_DATABASE_URI": "sqlite:///x", "SQLALCHEMY_ENGINE_OPTIONS": {}}
    config.engine_options(sqlite)
    assert sqlite["SQLALCHEMY_ENGINE_OPTIONS"] == {}


def test_configured_connect_args_win():
    pg = {
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://x@h/db",
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": "-c work_mem=64MB"}},
    }
    config.engine_options(pg)
    assert pg["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"] == {"options": "-c work_mem=64MB"}


def test_a_web_worker_loads_neither_the_task_queue_nor_the_pdf_library(tmp_path):
    """huey (with the PostgreSQL driver it loads whenever installed) and fpdf are imported when an
    upload or a polisblad first needs them: a worker serving pages stays 30 MB smaller."""
    code = (
        "import sys\nfrom portal import create_app\n"
        f"app = create_app({{'SQLALCHEMY_DATABASE_URI': 'sqlite:///{tmp_path / 'w.sqlite'}', "
        "'SECRET_KEY': 'x'})\n"
        "with app.test_client() as c:\n    assert c.get('/inloggen').status_code == 200\n"
        "print(sorted(m for m in ('huey', 'psycopg', 'fpdf') if m in sys.modules))"
    )
    uit = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert uit.stdout.strip() == "[]"


@pytest.mark.parametrize("waarde", ["prod", "Production", "productie", "", " production"])
def test_an_unknown_portal_env_refuses_to_start(waarde):
    """A typo must not start a production install in development mode (mock login on)."""
    with pytest.raises(RuntimeError, match="PORTAL_ENV"):
        create_app({"PORTAL_ENV": waarde, "SECRET_KEY": "x" * 32})


@pytest.mark.parametrize("sleutel", ["x", "x" * 31])
def test_production_refuses_a_short_secret_key(sleutel):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"PORTAL_ENV": "production", "SECRET_KEY": sleutel})


def test_production_accepts_a_key_of_32_bytes():
    app = create_app({"PORTAL_ENV": "production", "SECRET_KEY": "x" * 32})
    assert app.config["MOCK_EHERKENNING_ENABLED"] is False
