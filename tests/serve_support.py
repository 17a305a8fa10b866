"""Databases for the service's tests: SQLite in a temporary folder, and PostgreSQL when
GENGRADE_TEST_POSTGRES names one (scripts/postgres starts it; CI sets GENGRADE_REQUIRE_POSTGRES=1,
which makes a missing PostgreSQL a failure instead of a skip)."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

POSTGRES = os.environ.get("GENGRADE_TEST_POSTGRES")
REQUIRED = os.environ.get("GENGRADE_REQUIRE_POSTGRES") == "1"


def database_params():
    reason = "no PostgreSQL (eval \"$(bash scripts/postgres)\" starts one)"
    if REQUIRED:
        return ["sqlite", "postgresql"]  # without one, fresh_url fails the test
    return ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(not POSTGRES, reason=reason))]


def fresh_url(kind: str, tmp_path) -> str:
    """A database URL with an empty schema."""
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'service.sqlite'}"
    if not POSTGRES:
        raise AssertionError("GENGRADE_REQUIRE_POSTGRES=1 but GENGRADE_TEST_POSTGRES is not set: "
                             "eval \"$(bash scripts/postgres)\" starts PostgreSQL")
    from sqlalchemy import create_engine

    engine = create_engine(POSTGRES.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return POSTGRES
