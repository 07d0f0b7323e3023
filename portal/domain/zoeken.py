"""Searching deelnemers: one query shape for the screen, the row refresh and the downloads.

Rows come back as plain SQL rows (no ORM objects): the screen shows 25 of them per request,
the download 100,000, and neither needs more than the columns. Each shape of search is one
statement with bound values (``_statements``), so SQLAlchemy's compiled cache serves it.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, Date, Integer, Select, String, bindparam, func, select

from portal.domain.names import zoeksleutel
from portal.domain.pagina import STANDAARD_PER_PAGINA, Pagina, Resultaat
from portal.extensions import db
from portal.models import Contract, Deelname, Persoon, gebruiker_contract

# "naam" and each date column, ascending or (with "-") descending.
SORTERINGEN = (
    "naam",
    "geboortedatum",
    "-geboortedatum",
    "ingangsdatum",
    "-ingangsdatum",
    "einddatum",
    "-einddatum",
)
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
NAAM = func.trim(
    func.coalesce(_p.c.voorletters, "") + " " + func.coalesce(_p.c.voorvoegsel + " ", "") + _p.c.achternaam
)


@dataclass(frozen=True)
class Zoekopdracht:
    """What the user asked for, already checked; ``contract_ids`` is within the user's scope.
    ``gebruiker_id`` is set when the search covers all that user's contracts ("Alle
    contracten"): the SQL then scopes by the user's contracts in a subquery, one bound value
    instead of a list of every id."""

    contract_ids: frozenset[int]
    achternaam: str = ""
    bsn: str = ""
    relatienummer: str = ""
    geboortedatum: date | None = None
    sorteer: str = "naam"
    pagina: int = 1
    per_pagina: int = STANDAARD_PER_PAGINA
    gebruiker_id: int | None = None

    @property
    def eigen(self) -> bool:
        """Scoped by the user's contracts in SQL (more than one: one contract binds its id)."""
        return self.gebruiker_id is not None and len(self.contract_ids) > 1

    @property
    def exact(self) -> bool:
        """A search for one person by identifier: it also finds ended deelnames."""
        return bool(self.bsn or self.relatienummer)

    @property
    def heeft_criteria(self) -> bool:
        return bool(self.achternaam or self.bsn or self.relatienummer or self.geboortedatum)


def _kolommen() -> Select:
    return select(
        _c.c.nummer.label("contract"),
        _p.c.relatienummer,
        _p.c.voorletters,
        _p.c.voorvoegsel,
        _p.c.achternaam,
        _p.c.bsn,
        _p.c.geboortedatum,
        _p.c.geslacht,
        _d.c.ingangsdatum,
        _d.c.einddatum,
        _d.c.rol,
    ).select_from(_d.join(_p, _p.c.id == _d.c.persoon_id).join(_c, _c.c.id == _d.c.contract_id))


Rij = namedtuple(
    "Rij",
    "contract relatienummer voorletters voorvoegsel achternaam bsn geboortedatum "
    "geslacht ingangsdatum einddatum rol",
)


def _naamsoort(achternaam: str) -> str:
    """'van der Berg' (with a space) searches voorvoegsel + achternaam; 'Berg' the achternaam."""
    if not achternaam:
        return ""
    return "volledig" if " " in achternaam.strip() else "achternaam"


@dataclass(frozen=True)
class _Vorm:
    """The shape of a search: what its SQL looks like, whatever the values. Each shape is built
    and compiled once (``_statements``); a request only binds its values."""

    contracten: str  # "een", "enkele" or "veel" (above VEEL_CONTRACTEN)
    exact: bool
    naam: str  # "", "achternaam" or "volledig"
    bsn: bool
    relatienummer: bool
    geboortedatum: bool
    sorteer: str = "naam"
    eigen: bool = False  # the contracts as a subquery on the user's contracts

    @property
    def naamkolom(self):
        return _d.c.zoek_volledig if self.naam == "volledig" else _d.c.zoek_achternaam

    @property
    def heeft_criteria(self) -> bool:
        return bool(self.naam or self.bsn or self.relatienummer or self.geboortedatum)


def _contractsoort(aantal: int) -> str:
    return "een" if aantal == 1 else "veel" if aantal > VEEL_CONTRACTEN else "enkele"


def _vorm(opdracht: Zoekopdracht) -> _Vorm:
    return _Vorm(
        contracten=_contractsoort(len(opdracht.contract_ids)),
        exact=opdracht.exact,
        naam=_naamsoort(opdracht.achternaam),
        bsn=bool(opdracht.bsn),
        relatienummer=bool(opdracht.relatienummer),
        geboortedatum=opdracht.geboortedatum is not None,
        sorteer=opdracht.sorteer if opdracht.sorteer in SORTERINGEN else "naam",
        eigen=opdracht.eigen,
    )


def _waarden(opdracht: Zoekopdracht, vandaag: date) -> dict | None:
    """The values for the shape's placeholders; None when nothing can match (no contracts, or a
    name of punctuation only such as '%' or quotes: text that no name starts with)."""
    if not opdracht.contract_ids:
        return None
    ids = sorted(opdracht.contract_ids)
    waarden: dict[str, object]
    if opdracht.eigen:
        waarden = {"gebruiker": opdracht.gebruiker_id}
    else:
        waarden = {"contract": ids[0]} if len(ids) == 1 else {"contracten": ids}
    if not opdracht.exact:
        waarden.update(nooit=_NOOIT, vandaag=vandaag)
    if opdracht.achternaam:
        sleutel = zoeksleutel(opdracht.achternaam)
        if not sleutel:
            return None
        waarden.update(van=sleutel, tot=sleutel + _BOVENGRENS)
    if opdracht.bsn:
        waarden["bsn"] = opdracht.bsn
    if opdracht.relatienummer:
        waarden["relatienummer"] = opdracht.relatienummer
    if opdracht.geboortedatum:
        waarden["geboortedatum"] = opdracht.geboortedatum
    return waarden


def _voorwaarden(vorm: _Vorm) -> tuple[list, bool]:
    """The WHERE terms with placeholders, and whether they need the persoon table."""
    contract: ColumnElement[int] = _d.c.contract_id
    terms: list[ColumnElement[bool]]
    if vorm.contracten == "veel":
        # Over many contracts the contract is a mere filter. "+ 0" keeps the planner off the
        # contract indexes: for a name that would mean reading whole contracts and sorting
        # them, for a person (geboortedatum) an index probe per contract instead of one.
        contract = _d.c.contract_id + 0
    if vorm.eigen:
        # "Alle contracten": one bound value, where a list of 200 ids would be expanded into the
        # SQL of both the count and the page on every request.
        terms = [
            contract.in_(
                select(gebruiker_contract.c.contract_id).where(
                    gebruiker_contract.c.gebruiker_id == bindparam("gebruiker", type_=Integer)
                )
            )
        ]
    elif vorm.contracten == "een":
        terms = [contract == bindparam("contract", type_=Integer)]
    else:
        # One expanding parameter: the statement (and its cache entry) is the same for any
        # number of contracts.
        terms = [contract.in_(bindparam("contracten", expanding=True, type_=Integer))]
    if not vorm.exact:
        # Not "einddatum IS NULL OR ...": an OR makes SQLite merge two index scans and sort
        # everything, where this filter is checked while walking the name index in order.
        terms.append(
            func.coalesce(_d.c.einddatum, bindparam("nooit", type_=Date)) >= bindparam("vandaag", type_=Date)
        )
    if vorm.naam:
        terms += [
            vorm.naamkolom >= bindparam("van", type_=String),
            vorm.naamkolom < bindparam("tot", type_=String),
        ]
    for veld in ("bsn", "relatienummer", "geboortedatum"):
        if getattr(vorm, veld):
            terms.append(_p.c[veld] == bindparam(veld, type_=_p.c[veld].type))
    return terms, vorm.bsn or vorm.relatienummer or vorm.geboortedatum


def _volgorde(vorm: _Vorm) -> list:
    naam = vorm.naamkolom
    if vorm.sorteer == "naam":
        # The name indexes hold (contract, name, einddatum) or (name, contract, einddatum), then
        # the row id: within one contract both orders are the index order, so a page is read
        # without sorting, in one contract or in all.
        return [naam, _d.c.contract_id, _d.c.einddatum, _d.c.id]
    kolom = {
        "geboortedatum": _p.c.geboortedatum,
        "ingangsdatum": _d.c.ingangsdatum,
        "einddatum": _d.c.einddatum,
    }[vorm.sorteer.lstrip("-")]
    richting = kolom.desc() if vorm.sorteer.startswith("-") else kolom.asc()
    return [richting.nulls_last(), naam, _d.c.id]


@lru_cache(maxsize=256)
def _statements(vorm: _Vorm) -> tuple[Select, Select]:
    """The count and the page of this shape of search."""
    terms, needs_persoon = _voorwaarden(vorm)
    bron = _d.join(_p, _p.c.id == _d.c.persoon_id) if needs_persoon else _d
    if vorm.heeft_criteria:
        binnen = select(_d.c.id).select_from(bron).where(*terms).limit(MAX_TELLING + 1)
        telling = select(func.count()).select_from(binnen.subquery())
    else:
        telling = select(func.count()).select_from(bron).where(*terms)
    pagina = (
        _kolommen()
        .where(*terms)
        .order_by(*_volgorde(vorm))
        .limit(bindparam("limiet", type_=Integer))
        .offset(bindparam("vanaf", type_=Integer))
    )
    return telling, pagina


def zoek(opdracht: Zoekopdracht, vandaag: date) -> Resultaat:
    """One page of deelnames matching the search, sorted, and how many match.

    With a search term the count stops at ``MAX_TELLING`` (shown as "meer dan 1000": whoever
    looks for a person refines the search); the full list of a contract is counted exactly.
    """
    waarden = _waarden(opdracht, vandaag)
    if waarden is None:
        return Resultaat.van([], Pagina.kies(1, opdracht.per_pagina, 0))
    vorm = _vorm(opdracht)
    telling, pagina_sql = _statements(vorm)
    aantal = db.session.execute(telling, waarden).scalar_one()
    begrensd = vorm.heeft_criteria
    meer = begrensd and aantal > MAX_TELLING
    pagina = Pagina.kies(
        opdracht.pagina, opdracht.per_pagina, min(aantal, MAX_TELLING) if begrensd else aantal
    )
    rijen = []
    if pagina.aantal:
        waarden.update(limiet=pagina.per_pagina, vanaf=pagina.vanaf)
        rijen = [Rij._make(row) for row in db.session.execute(pagina_sql, waarden)]
    return Resultaat.van(rijen, pagina, meer)


def export_rijen(
    contract_ids, vandaag: date, batch: int = 5000, gebruiker_id: int | None = None
) -> Iterator[Sequence[Any]]:
    """Every current deelname of these contracts in name order, streamed as plain tuples:
    (contract, volledige naam, BSN, relatienummer, geboortedatum, geslacht, ingangsdatum,
    einddatum). The name is joined in SQL and the rows are streamed ``batch`` at a time (on
    PostgreSQL from a server-side cursor): 100,000 rows should cost little memory beside
    writing the file. ``gebruiker_id``: as in ``Zoekopdracht``."""
    opdracht = Zoekopdracht(contract_ids=frozenset(contract_ids), gebruiker_id=gebruiker_id)
    waarden = _waarden(opdracht, vandaag)
    if waarden is None:
        return
    result = db.session.execute(_export(_vorm(opdracht)).execution_options(yield_per=batch), waarden)
    try:
        for rijen in result.partitions():
            yield from rijen
    finally:
        # A download broken off midway must still give its cursor back.
        result.close()


@lru_cache(maxsize=64)
def _export(vorm: _Vorm) -> Select:
    terms, _ = _voorwaarden(vorm)
    return (
        select(
            _c.c.nummer,
            NAAM,
            _p.c.bsn,
            _p.c.relatienummer,
            _p.c.geboortedatum,
            _p.c.geslacht,
            _d.c.ingangsdatum,
            _d.c.einddatum,
        )
        .select_from(_d.join(_p, _p.c.id == _d.c.persoon_id).join(_c, _c.c.id == _d.c.contract_id))
        .where(*terms)
        .order_by(*_volgorde(vorm))
    )


def rij(deelname_id: int):
    """One row in the shape of the results table (to refresh it after an afmelding)."""
    return db.session.execute(_kolommen().where(_d.c.id == deelname_id)).one()
