"""The insurer's numbers for new persons and polissen, from series shared by every worker."""

from __future__ import annotations

from sqlalchemy import BigInteger, cast, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.models import NummerReeks, Persoon

# New relatienummers continue above every existing one; polisnummers made here are 'P' and
# eight digits, a shape the migrated (contract-based, eleven-digit) numbers never have.
EERSTE_RELATIENUMMER = 30_000_001


def _volgende(naam: str, start) -> int:
    """Take the next number of the series; the row lock (or SQLite's write lock) makes two
    workers never get the same one."""
    reeks = NummerReeks.__table__
    for _ in range(3):
        genomen = db.session.execute(
            update(reeks)
            .where(reeks.c.naam == naam)
            .values(volgende=reeks.c.volgende + 1)
            .returning(reeks.c.volgende)
        ).scalar_one_or_none()
        if genomen is not None:
            return genomen - 1
        eerste = start()
        try:
            with db.session.begin_nested():
                db.session.execute(insert(reeks).values(naam=naam, volgende=eerste + 1))
            return eerste
        except IntegrityError:
            continue  # another worker created the series first; take from it
    raise RuntimeError(f"nummerreeks {naam} niet beschikbaar")


def _na_bestaande_relatienummers() -> int:
    hoogste = db.session.scalar(select(func.max(cast(Persoon.relatienummer, BigInteger))))
    return max(EERSTE_RELATIENUMMER, (hoogste or 0) + 1)


def relatienummer() -> str:
    return str(_volgende("relatienummer", _na_bestaande_relatienummers))


def polisnummer() -> str:
    return f"P{_volgende('polisnummer', lambda: 1):08d}"
