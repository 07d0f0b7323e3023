"""The unit of work: the edge (a view, a CLI command, a huey task, the upload loop) owns it.

Domain functions and the audit writer write into the session and never commit or roll back; the
edge wraps its work in ``transaction()``, which commits once at the end or rolls back everything
when an exception leaves the block, so a change and its audit record are saved both or neither.
A domain function that must undo only its own part uses a savepoint (``db.session.begin_nested()``).

On SQLite the driver starts a transaction only at the first INSERT, UPDATE or DELETE, and a
SAVEPOINT outside a transaction would make its RELEASE commit on its own, so a savepoint opened
first starts the transaction itself (``_savepoint_in_transaction``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from portal.extensions import db


@contextmanager
def transaction() -> Iterator[Session]:
    """Run the block as one unit of work: commit when it ends, roll back if it raises."""
    try:
        yield db.session
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


@event.listens_for(Engine, "savepoint")
def _savepoint_in_transaction(conn, name) -> None:
    """On SQLite, begin the transaction before a savepoint that would otherwise be its start.

    IMMEDIATE: a savepoint is opened to write, and a transaction that reads first and then asks
    for the write lock gets 'database is locked' at once instead of waiting for the lock."""
    dbapi_connection = conn.connection.dbapi_connection
    if type(dbapi_connection).__module__.startswith("sqlite3") and not dbapi_connection.in_transaction:
        dbapi_connection.execute("BEGIN IMMEDIATE")
