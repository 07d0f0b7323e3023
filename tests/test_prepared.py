"""Prepared statements write and find exactly what the ordinary SQLAlchemy path does, on SQLite
and PostgreSQL alike."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Date, Integer, bindparam, insert, select, text

from portal.extensions import db
from portal.models import AuditLog, Deelname
from portal.models.types import utcnow
from portal.prepared import Prepared, als_datum
from tests import factories

pytestmark = pytest.mark.postgres

_d = Deelname.__table__


def test_values_go_through_the_column_types(app):
    """A date, JSON and the UTC timestamp type written by a prepared insert read back through the
    ORM as they went in."""
    tabel = AuditLog.__table__
    kolommen = ("tijd", "gebeurtenis", "actie", "relatienummers", "details", "uitkomst")
    schrijf = Prepared(insert(tabel).values({k: bindparam(k, type_=tabel.c[k].type) for k in kolommen}))
    moment = utcnow()
    schrijf.execute(db.session, {"tijd": moment, "gebeurtenis": "proef", "actie": "read",
                                 "relatienummers": ["10000001"], "details": {"a": [1, "b"]},
                                 "uitkomst": "ok"})
    db.session.commit()
    rij = db.session.scalars(select(AuditLog).where(AuditLog.gebeurtenis == "proef")).one()
    assert rij.tijd == moment
    assert rij.relatienummers == ["10000001"] and rij.details == {"a": [1, "b"]}
    # Stored as the ORM stores it (on SQLite: text without a zone), so ranges and order hold.
    db.session.add(AuditLog(tijd=moment, gebeurtenis="orm", actie="read", relatienummers=[], details={}))
    db.session.commit()
    als_tekst = text("SELECT CAST(tijd AS VARCHAR(40)) FROM audit_log WHERE gebeurtenis = :g")
    opgeslagen = [db.session.execute(als_tekst, {"g": g}).scalar() for g in ("proef", "orm")]
    assert opgeslagen[0] == opgeslagen[1]


def test_a_date_parameter_and_a_literal_limit(app):
    """Dates compare as the ORM stores them; a LIMIT SQLAlchemy binds itself keeps its value."""
    c = factories.contract()
    for jaar in (2019, 2020, 2021, 2022):
        factories.deelname(factories.persoon(), c, ingangsdatum=date(jaar, 1, 1))
    db.session.commit()
    vanaf = Prepared(select(_d.c.ingangsdatum)
                     .where(_d.c.contract_id == bindparam("c", type_=Integer),
                            _d.c.ingangsdatum >= bindparam("vanaf", type_=Date))
                     .order_by(_d.c.ingangsdatum).limit(2))
    rijen = vanaf.execute(db.session, {"c": c.id, "vanaf": date(2020, 1, 1)}).all()
    assert [als_datum(r[0]) for r in rijen] == [date(2020, 1, 1), date(2021, 1, 1)]


def test_expanding_parameters_are_refused(app):
    """Each value needs its own placeholder (the compiled text is reused as it is)."""
    statement = select(_d.c.id).where(_d.c.contract_id.in_(bindparam("ids", expanding=True)))
    with pytest.raises(ValueError, match="expanding"):
        Prepared(statement).execute(db.session, {"ids": [1, 2]})


def test_rows_as_plain_tuples_with_one_or_many_placeholders(app):
    """``rijen`` gives the driver's tuples, whether the statement has one placeholder or many."""
    c = factories.contract()
    for jaar in (2019, 2020, 2021):
        factories.deelname(factories.persoon(), c, ingangsdatum=date(jaar, 1, 1))
    db.session.commit()
    een = Prepared(select(_d.c.ingangsdatum).where(_d.c.contract_id == bindparam("c", type_=Integer))
                   .order_by(_d.c.ingangsdatum))
    rijen = een.rijen(db.session, {"c": c.id})
    assert [type(r) for r in rijen] == [tuple] * 3
    assert [als_datum(r[0]) for r in rijen] == [date(2019, 1, 1), date(2020, 1, 1), date(2021, 1, 1)]
    ids = [bindparam(f"c{i}", type_=Integer) for i in range(3)]
    veel = Prepared(select(_d.c.id).where(_d.c.contract_id.in_(ids),
                                          _d.c.ingangsdatum >= bindparam("vanaf", type_=Date)))
    gevonden = veel.rijen(db.session, {"c0": -1, "c1": c.id, "c2": -2, "vanaf": date(2020, 1, 1)})
    assert len(gevonden) == 2
    assert veel.rijen(db.session, {"c0": -1, "c1": -3, "c2": -2, "vanaf": date(2000, 1, 1)}) == []


def test_streamed_rows_are_all_there_in_order_whatever_the_batch(app):
    """``stroom`` yields every row once, in order, also when the batch is smaller than the result
    (on PostgreSQL a server-side cursor, whose first rows the result buffers itself)."""
    c = factories.contract()
    for jaar in range(2015, 2022):
        factories.deelname(factories.persoon(), c, ingangsdatum=date(jaar, 1, 1))
    db.session.commit()
    lijst = Prepared(select(_d.c.ingangsdatum).where(_d.c.contract_id == bindparam("c", type_=Integer))
                     .order_by(_d.c.ingangsdatum))
    verwacht = [date(jaar, 1, 1) for jaar in range(2015, 2022)]
    for batch in (1, 2, 3, 100):
        assert [als_datum(r[0]) for r in lijst.stroom(db.session, {"c": c.id}, batch)] == verwacht
