"""The database guards the rules the SPEC lists, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from portal.extensions import db
from portal.models import AuditLog, Deelname, Melding, Persoon, ProductTarief
from tests import factories

pytestmark = pytest.mark.postgres


def _fails(exc=IntegrityError):
    return pytest.raises(exc)


def test_one_open_deelname_per_person_per_contract(app):
    c = factories.contract()
    p = factories.persoon()
    factories.deelname(p, c)
    db.session.commit()
    with _fails():
        factories.deelname(p, c, ingangsdatum=date(2021, 1, 1))
    db.session.rollback()


def test_an_ended_deelname_allows_a_new_one(app):
    c = factories.contract()
    p = factories.persoon()
    factories.deelname(p, c, einddatum=date(2020, 12, 31), reden_einde="einde_collectiviteit")
    factories.deelname(p, c, ingangsdatum=date(2021, 6, 1))
    db.session.commit()
    assert len(p.deelnames) == 2


def test_einddatum_not_before_ingangsdatum(app):
    c = factories.contract()
    with _fails():
        factories.deelname(
            factories.persoon(),
            c,
            ingangsdatum=date(2020, 5, 1),
            einddatum=date(2020, 4, 30),
            reden_einde="overleden",
        )
    db.session.rollback()


def test_reden_einde_needs_an_einddatum(app):
    c = factories.contract()
    with _fails():
        factories.deelname(factories.persoon(), c, reden_einde="overleden")
    db.session.rollback()


@pytest.mark.parametrize("field", ["bsn", "relatienummer"])
def test_bsn_and_relatienummer_are_unique(app, field):
    first = factories.persoon()
    db.session.commit()
    with _fails():
        factories.persoon(**{field: getattr(first, field)})
    db.session.rollback()


def test_melding_id_is_unique_per_sender(app):
    c = factories.contract()
    common = {"kanaal": "api", "soort": "aanmelding", "contract_id": c.id}
    db.session.add(Melding(bron="api:1", extern_id="M-1", **common))
    db.session.add(Melding(bron="api:2", extern_id="M-1", **common))  # another sender: fine
    db.session.commit()
    db.session.add(Melding(bron="api:1", extern_id="M-1", **common))
    with _fails():
        db.session.commit()
    db.session.rollback()


def test_audit_log_is_append_only(app):
    db.session.add(AuditLog(gebeurtenis="test", actie="read"))
    db.session.commit()
    with _fails(DBAPIError):
        db.session.execute(text("UPDATE audit_log SET gebeurtenis = 'vervalst'"))
    db.session.rollback()
    with _fails(DBAPIError):
        db.session.execute(text("DELETE FROM audit_log"))
    db.session.rollback()
    assert db.session.scalar(select(AuditLog)).gebeurtenis == "test"


def test_money_is_exact_decimal(app):
    product = factories.product(premie="123.45")
    db.session.commit()
    db.session.expire_all()
    tarief = db.session.scalar(select(ProductTarief).where(ProductTarief.product_id == product.id))
    assert tarief.maandpremie == Decimal("123.45")
    assert isinstance(tarief.maandpremie, Decimal)


def test_timestamps_are_utc_aware(app):
    db.session.add(AuditLog(gebeurtenis="t", actie="read", tijd=datetime(2026, 6, 1, 12, 0, tzinfo=UTC)))
    db.session.commit()
    db.session.expire_all()
    stored = db.session.scalar(select(AuditLog)).tijd
    assert stored.tzinfo is not None and stored.utcoffset().total_seconds() == 0
    assert stored.hour == 12


def test_naive_timestamps_are_refused(app):
    db.session.add(AuditLog(gebeurtenis="t", actie="read", tijd=datetime(2026, 6, 1, 12, 0)))
    with pytest.raises(Exception, match="naive"):
        db.session.commit()
    db.session.rollback()


def test_search_keys_follow_the_name_onto_every_deelname(app):
    p = factories.persoon(voorletters="A.J.", voorvoegsel="van der", achternaam="Bérg-Øster")
    d = factories.deelname(p, factories.contract())
    db.session.commit()
    assert p.zoek_achternaam == "bergoster aj"
    assert p.zoek_volledig == "vanderbergoster aj"
    assert (d.zoek_achternaam, d.zoek_volledig) == (p.zoek_achternaam, p.zoek_volledig)
    p.achternaam = "Müller"
    db.session.commit()
    db.session.expire_all()
    assert db.session.scalar(select(Persoon.zoek_achternaam).where(Persoon.id == p.id)) == "muller aj"
    assert db.session.get(Deelname, d.id).zoek_achternaam == "muller aj"


def test_deelname_by_persoon_id_alone_gets_the_keys(app):
    p = factories.persoon(achternaam="Kowalski", voorletters="P.")
    c = factories.contract()
    db.session.commit()
    db.session.expire_all()
    d = Deelname(persoon_id=p.id, contract_id=c.id, ingangsdatum=date(2020, 1, 1))
    db.session.add(d)
    db.session.commit()
    assert d.zoek_achternaam == "kowalski p"


def test_foreign_keys_are_enforced(app):
    with _fails():
        db.session.execute(
            text(
                "INSERT INTO deelname (persoon_id, contract_id, ingangsdatum, rol, created_at) "
                "VALUES (999, 999, '2020-01-01', 'hoofdverzekerde', '2020-01-01 00:00:00')"
            )
        )
        db.session.commit()
    db.session.rollback()
