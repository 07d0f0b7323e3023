"""Engine settings that depend on the database."""

from __future__ import annotations

from portal import config


def test_postgresql_plans_each_statement_for_its_values():
    pg = {"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://x@h/db",
          "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True}}
    config.engine_options(pg)
    assert pg["SQLALCHEMY_ENGINE_OPTIONS"] == {
        "pool_pre_ping": True, "connect_args": {"options": "-c plan_cache_mode=force_custom_plan"}}
    sqlite = {"SQLALCHEMY_DATABASE_URI": "sqlite:///x", "SQLALCHEMY_ENGINE_OPTIONS": {}}
    config.engine_options(sqlite)
    assert sqlite["SQLALCHEMY_ENGINE_OPTIONS"] == {}


def test_configured_connect_args_win():
    pg = {"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://x@h/db",
          "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": "-c work_mem=64MB"}}}
    config.engine_options(pg)
    assert pg["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"] == {"options": "-c work_mem=64MB"}
