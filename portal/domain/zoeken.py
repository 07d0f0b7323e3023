"""Searching deelnemers: one query shape for the screen, the row refresh and the downloads.

Rows come back as plain SQL rows (no ORM objects): the screen shows 25 of them per request,
the download 100,000, and neither needs more than the columns.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, String, false, func, select, type_coerce

from portal.domain.names import zoeksleutel
from portal.extensions import db
from portal.models import Contract, Deelname, Persoon

PER_PAGINA = (10, 25, 50, 100)
STANDAARD_PER_PAGINA = 25
# "naam" and each date column, ascending or (with "-") descending.
SORTERINGEN = ("naam", "geboortedatum", "-geboortedatum", "ingangsdatum", "-ingangsdatum",
               "einddatum", "-einddatum")
# Above U+FFFF nothing a search key holds: "<key>\uffff" bounds every name that starts with it.
_BOVENGRENS = "\uffff"
_NOOIT = date(9999, 12, 31)
MAX_TELLING = 1000
VEEL_CONTRACTEN = 20

_d = Deelname.__table__
_p = Persoon.__table__
_c = Contract.__table__
# 'A.J. van der Berg' in SQL, for lists of thousands of rows (Persoon.volledige_naam per object
# would cost an ORM load each).
NAAM = func.trim(func.coalesce(_p.c.voorletters, "") + " "
                 + func.coalesce(_p.c.voorvoegsel + " ", "") + _p.c.achternaam)


@dataclass(frozen=True)
class Zoekopdracht:
    """What the user asked for, already checked; ``contract_ids`` is within the user's scope."""

    contract_ids: frozenset[int]
    achternaam: str = ""
    bsn: str = ""
    relatienummer: str = ""
    geboortedatum: date | None = None
    sorteer: str = "naam"
    pagina: int = 1
    per_pagina: int = STANDAARD_PER_PAGINA

    @property
    def exact(self) -> bool:
        """A search for one person by identifier: it also finds ended deelnames."""
        return bool(self.bsn or self.relatienummer)

    @property
    def heeft_criteria(self) -> bool:
        return bool(self.achternaam or self.bsn or self.relatienummer or self.geboortedatum)


@dataclass(frozen=True)
class Resultaat:
    rijen: list
    aantal: int
    pagina: int
    per_pagina: int
    # True when more than MAX_TELLING matched (``aantal`` is then MAX_TELLING).
    meer: bool = False

    @property
    def paginas(self) -> int:
        return max(1, math.ceil(self.aantal / self.per_pagina))


def _kolommen() -> Select:
    return select(
        _c.c.nummer.label("contract"), _p.c.relatienummer, _p.c.voorletters, _p.c.voorvoegsel,
        _p.c.achternaam, _p.c.bsn, _p.c.geboortedatum, _p.c.geslacht, _d.c.ingangsdatum,
        _d.c.einddatum, _d.c.rol,
    ).select_from(_d.join(_p, _p.c.id == _d.c.persoon_id).join(_c, _c.c.id == _d.c.contract_id))


def _naamkolom(achternaam: str):
    """'van der Berg' (with a space) searches voorvoegsel + achternaam; 'Berg' the achternaam."""
    return _d.c.zoek_volledig if " " in achternaam.strip() else _d.c.zoek_achternaam


def _voorwaarden(opdracht: Zoekopdracht, vandaag: date) -> tuple[list, bool]:
    """The WHERE terms, and whether they need the persoon table."""
    ids = sorted(opdracht.contract_ids)
    if not ids:
        return [false()], False
    contract = _d.c.contract_id
    if opdracht.achternaam and (len(ids) > VEEL_CONTRACTEN
                                or _naamkolom(opdracht.achternaam) is _d.c.zoek_volledig):
        # Walk the name index in name order with the contract as a mere filter: over many
        # contracts, and for voorvoegsel + achternaam (whose index does not start with the
        # contract). "+ 0" keeps the planner off the contract index, which would mean reading
        # the whole contract and sorting it.
        contract = _d.c.contract_id + 0
    terms = [contract == ids[0] if len(ids) == 1 else contract.in_(ids)]
    if not opdracht.exact:
        # Not "einddatum IS NULL OR ...": an OR makes SQLite merge two index scans and sort
        # everything, where this filter is checked while walking the name index in order.
        terms.append(func.coalesce(_d.c.einddatum, _NOOIT) >= vandaag)
    needs_persoon = False
    if opdracht.achternaam:
        sleutel = zoeksleutel(opdracht.achternaam)
        if not sleutel:
            # Only punctuation ('%', quotes): text that no name starts with.
            return [false()], False
        kolom = _naamkolom(opdracht.achternaam)
        terms += [kolom >= sleutel, kolom < sleutel + _BOVENGRENS]
    if opdracht.bsn:
        terms.append(_p.c.bsn == opdracht.bsn)
        needs_persoon = True
    if opdracht.relatienummer:
        terms.append(_p.c.relatienummer == opdracht.relatienummer)
        needs_persoon = True
    if opdracht.geboortedatum:
        terms.append(_p.c.geboortedatum == opdracht.geboortedatum)
        needs_persoon = True
    return terms, needs_persoon


def _volgorde(opdracht: Zoekopdracht) -> list:
    naam = _naamkolom(opdracht.achternaam) if opdracht.achternaam else _d.c.zoek_achternaam
    sorteer = opdracht.sorteer if opdracht.sorteer in SORTERINGEN else "naam"
    if sorteer == "naam":
        # The name index holds (contract, name, einddatum) and then the row id: this order is
        # the index order, so a page is read without sorting.
        return [naam, _d.c.einddatum, _d.c.id]
    kolom = {"geboortedatum": _p.c.geboortedatum, "ingangsdatum": _d.c.ingangsdatum,
             "einddatum": _d.c.einddatum}[sorteer.lstrip("-")]
    richting = kolom.desc() if sorteer.startswith("-") else kolom.asc()
    return [richting.nulls_last(), naam, _d.c.id]


def zoek(opdracht: Zoekopdracht, vandaag: date) -> Resultaat:
    """One page of deelnames matching the search, sorted, and how many match.

    With a search term the count stops at ``MAX_TELLING`` (shown as "meer dan 1000": whoever
    looks for a person refines the search); the full list of a contract is counted exactly.
    """
    terms, needs_persoon = _voorwaarden(opdracht, vandaag)
    bron = _d.join(_p, _p.c.id == _d.c.persoon_id) if needs_persoon else _d
    begrensd = opdracht.heeft_criteria
    if begrensd:
        binnen = select(_d.c.id).select_from(bron).where(*terms)
        telling = select(func.count()).select_from(binnen.limit(MAX_TELLING + 1).subquery())
    else:
        telling = select(func.count()).select_from(bron).where(*terms)
    aantal = db.session.execute(telling).scalar_one()
    meer = begrensd and aantal > MAX_TELLING
    aantal = min(aantal, MAX_TELLING) if begrensd else aantal
    per_pagina = opdracht.per_pagina if opdracht.per_pagina in PER_PAGINA else STANDAARD_PER_PAGINA
    pagina = min(max(1, opdracht.pagina), max(1, math.ceil(aantal / per_pagina)))
    rijen = []
    if aantal:
        rijen = db.session.execute(
            _kolommen().where(*terms).order_by(*_volgorde(opdracht))
            .limit(per_pagina).offset((pagina - 1) * per_pagina)
        ).all()
    return Resultaat(rijen=rijen, aantal=aantal, pagina=pagina, per_pagina=per_pagina,
                     meer=meer)


def export_rijen(contract_ids, vandaag: date, batch: int = 5000) -> Iterator[tuple]:
    """Every current deelname of these contracts in name order, streamed as plain tuples:
    (contract, volledige naam, BSN, relatienummer, geboortedatum, geslacht, ingangsdatum,
    einddatum). The name is joined in SQL and the dates bypass SQLAlchemy's per-value
    conversion: 100,000 rows should cost little beside writing the file."""
    opdracht = Zoekopdracht(contract_ids=frozenset(contract_ids))
    terms, _ = _voorwaarden(opdracht, vandaag)
    stmt = (select(_c.c.nummer, NAAM, _p.c.bsn, _p.c.relatienummer,
                   type_coerce(_p.c.geboortedatum, String), _p.c.geslacht,
                   type_coerce(_d.c.ingangsdatum, String), type_coerce(_d.c.einddatum, String))
            .select_from(_d.join(_p, _p.c.id == _d.c.persoon_id).join(_c, _c.c.id == _d.c.contract_id))
            .where(*terms).order_by(*_volgorde(opdracht)))
    result = db.session.execute(stmt.execution_options(yield_per=batch))
    for c, n, bsn, rel, geboren, geslacht, ingang, einde in result.tuples():
        yield (c, n, bsn, rel, als_datum(geboren), geslacht, als_datum(ingang), als_datum(einde))


def als_datum(value) -> date | None:
    """SQLite hands dates back as 'jjjj-mm-dd' text, PostgreSQL as dates."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def rij(deelname_id: int):
    """One row in the shape of the results table (to refresh it after an afmelding)."""
    return db.session.execute(_kolommen().where(_d.c.id == deelname_id)).one()
