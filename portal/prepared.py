"""Statements compiled once per database dialect and run straight on the driver.

For the few queries every search request makes. SQLAlchemy builds a statement, derives its
cache key and runs the result through its processors on every execution: 0.2 to 3 ms per
search where SQLite needs 0.02 to 1 ms for the rows (``bench/`` measures it). A ``Prepared``
statement is built once (with ``bindparam`` placeholders), compiled once per dialect, and
executed with ``exec_driver_sql`` inside the session's own transaction, so commits, rollbacks
and the connection pool behave as for any other query.

Values still go through the columns' bind processors (dates on SQLite, JSON, the UTC
timestamp type), so the database sees exactly what the ORM would write. Results are the
driver's values: on SQLite a date comes back as 'jjjj-mm-dd' text (``als_datum`` turns it into a
date). Everything else keeps using the ordinary SQLAlchemy path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import overload

from sqlalchemy.engine import CursorResult
from sqlalchemy.sql import ClauseElement


@dataclass(frozen=True)
class _Compiled:
    sql: str
    # Positional drivers (SQLite's "?") get the values as a tuple in the statement's order, taken
    # from the params by ``ordered``; named ones (None here) the dict itself.
    ordered: Callable[[dict], tuple] | None
    processors: dict
    # Values SQLAlchemy bound itself (a literal LIMIT, SQLite's OFFSET 0).
    defaults: dict


class Prepared:
    """A Core statement with named ``bindparam``s, compiled once for each dialect it meets."""

    def __init__(self, statement: ClauseElement):
        self.statement = statement
        self._per_dialect: dict[str, _Compiled] = {}

    def _compiled(self, dialect) -> _Compiled:
        compiled = self._per_dialect.get(dialect.name)
        if compiled is None:
            c = self.statement.compile(dialect=dialect)
            if "POSTCOMPILE" in c.string:
                raise ValueError("Prepared takes no expanding or literal-execute parameters")
            processors, defaults = {}, {}
            used = set(c.bind_names.values())
            for name, bind in c.binds.items():
                if name not in used:
                    continue
                processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
                if processor is not None:
                    processors[name] = processor
                if bind.value is not None:
                    defaults[name] = bind.value
            compiled = _Compiled(c.string, _ordered(tuple(c.positiontup)) if c.positional else None,
                                 processors, defaults)
            self._per_dialect[dialect.name] = compiled
        return compiled

    def execute(self, session, params: dict, **options) -> CursorResult:
        """Run with ``params`` (one value per bindparam name) in ``session``'s transaction;
        ``options`` are SQLAlchemy execution options for this one statement."""
        conn = session.connection()
        compiled = self._compiled(conn.dialect)
        if compiled.defaults:
            params = {**compiled.defaults, **params}
        if compiled.processors:
            # Only the few typed values (dates, JSON) are converted: a search over 200 contracts
            # binds 200 plain ids as they are.
            params = dict(params)
            for name, processor in compiled.processors.items():
                if name in params:
                    params[name] = processor(params[name])
        waarden = compiled.ordered(params) if compiled.ordered is not None else params
        return conn.exec_driver_sql(compiled.sql, waarden, execution_options=options or None)

    def rijen(self, session, params: dict) -> list[tuple]:
        """Every row as the driver's own tuple: for a list of ids, without a Row object each.
        (A plain result reads nothing ahead, so its driver cursor still holds every row.)"""
        result = self.execute(session, params)
        try:
            return result.cursor.fetchall()
        finally:
            result.close()

    def stroom(self, session, params: dict, batch: int) -> Iterator[tuple]:
        """Every row, ``batch`` at a time (on PostgreSQL from a server-side cursor): for
        downloads of 100,000 rows. Through the result, not its driver cursor: a streamed
        result has already read the first rows into its own buffer."""
        result = self.execute(session, params, stream_results=True, max_row_buffer=batch)
        try:
            for rijen in result.partitions(batch):
                yield from rijen
        finally:
            result.close()


def _ordered(names: tuple[str, ...]) -> Callable[[dict], tuple]:
    """The values in the order of ``names`` (an itemgetter: 200 contract ids in one C call)."""
    if not names:
        return lambda params: ()
    getter = itemgetter(*names)
    if len(names) == 1:
        return lambda params: (getter(params),)
    return getter


@overload
def als_datum(value: None) -> None: ...
@overload
def als_datum(value: date | str) -> date: ...
def als_datum(value: date | str | None) -> date | None:
    """A date column's value from the driver: SQLite gives 'jjjj-mm-dd' text, PostgreSQL dates."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)
