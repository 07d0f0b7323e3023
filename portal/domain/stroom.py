"""In- en uitstroom of a contract: the list per period and the monthly figures of Contract gebruik.

One definition serves both screens and their downloads, so their figures reconcile:

* a deelname *stroomt in* in the month of its ingangsdatum and *stroomt uit* in the month of
  its einddatum (the last insured day, t/m);
* it counts among the deelnemers at the end of a month when it started on or before the last
  day of that month and had not ended by then (no einddatum, or one after that day).

So for every month ``eind(m) = eind(m-1) + in(m) - uit(m)``; a deelname that starts and ends in
the same month is in- and uitstroom of that month and no deelnemer at its end.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from sqlalchemy import String, func, literal, or_, select, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from portal.domain import zoeken
from portal.domain.afmelden import REDENEN
from portal.domain.dates import MAANDEN, laatste_dag, volgende_maand
from portal.domain.pagina import PER_PAGINA, STANDAARD_PER_PAGINA, Pagina, Resultaat
from portal.extensions import db
from portal.models import Contract, Deelname, Persoon

MAAND_AFKORTINGEN = [
    "jan.",
    "feb.",
    "mrt.",
    "apr.",
    "mei",
    "jun.",
    "jul.",
    "aug.",
    "sep.",
    "okt.",
    "nov.",
    "dec.",
]
SORTERINGEN = zoeken.SORTERINGEN
IN, UIT, IN_EN_UIT = "In", "Uit", "In en uit"

_d = Deelname.__table__
_p = Persoon.__table__
_c = Contract.__table__
_NOOIT = date(9999, 12, 31)


# -- months ---------------------------------------------------------------------------------


def maand_label(dag: date) -> str:
    """'dec. 2018', as the manual's Contract gebruik table writes a month."""
    return f"{MAAND_AFKORTINGEN[dag.month - 1]} {dag.year}"


@dataclass(frozen=True)
class Periode:
    """Whole months: from the first day of ``van``'s month through the last day of ``tot``'s."""

    van: date
    tot: date

    @classmethod
    def maanden(cls, van_jaar: int, van_maand: int, tot_jaar: int, tot_maand: int) -> Periode:
        return cls(date(van_jaar, van_maand, 1), laatste_dag(date(tot_jaar, tot_maand, 1)))

    @classmethod
    def jaar(cls, jaar: int) -> Periode:
        return cls.maanden(jaar, 1, jaar, 12)

    def __post_init__(self) -> None:
        if self.van.day != 1 or self.tot != laatste_dag(self.tot):
            raise ValueError("een periode bestaat uit hele maanden")
        if self.tot < self.van:
            raise ValueError("de periode eindigt voor ze begint")

    def maandstarts(self) -> list[date]:
        """The first day of each month in the period, oldest first."""
        starts, dag = [], self.van
        while dag <= self.tot:
            starts.append(dag)
            dag = volgende_maand(dag)
        return starts

    @property
    def label(self) -> str:
        """'2018 - januari t/m december' or 'november 2025 t/m februari 2026'."""
        if self.van.year == self.tot.year:
            return f"{self.van.year} - {MAANDEN[self.van.month - 1]} t/m {MAANDEN[self.tot.month - 1]}"
        return (
            f"{MAANDEN[self.van.month - 1]} {self.van.year} t/m {MAANDEN[self.tot.month - 1]} {self.tot.year}"
        )


class maand_van(FunctionElement):  # reads as a SQL function
    """'jjjj-mm' of a date column, in SQL."""

    type = String()
    inherit_cache = True


@compiles(maand_van)
def _maand_van_sqlite(element, compiler, **kw) -> str:
    # SQLite keeps dates as 'jjjj-mm-dd' text.
    return f"substr({compiler.process(element.clauses, **kw)}, 1, 7)"


@compiles(maand_van, "postgresql")
def _maand_van_postgresql(element, compiler, **kw) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM')"


# -- Contract gebruik -------------------------------------------------------------------------


@dataclass(frozen=True)
class Maandcijfers:
    maand: date  # its first day
    aantal: int  # deelnemers at the end of the month
    instroom: int
    uitstroom: int

    @property
    def verschil(self) -> int:
        return self.instroom - self.uitstroom

    @property
    def label(self) -> str:
        return maand_label(self.maand)


def _tel(contract_id: int, *voorwaarden):
    return (
        select(func.count())
        .select_from(_d)
        .where(_d.c.contract_id == contract_id, *voorwaarden)
        .scalar_subquery()
    )


def aantal_op(contract_id: int, dag: date) -> int:
    """Deelnemers insured on ``dag`` (the header's "Huidige aantal deelnemers").

    Started on or before the day, less those ended before it (which all started before it):
    two index range counts instead of testing every deelname of the contract.
    """
    return db.session.execute(
        select(_tel(contract_id, _d.c.ingangsdatum <= dag) - _tel(contract_id, _d.c.einddatum < dag))
    ).scalar_one()


def _aantal_voor(contract_id: int, dag: date) -> int:
    """Deelnemers at the end of the day before ``dag``: started before it, not ended before it."""
    return db.session.execute(
        select(_tel(contract_id, _d.c.ingangsdatum < dag) - _tel(contract_id, _d.c.einddatum < dag))
    ).scalar_one()


def gebruik(contract_id: int, periode: Periode) -> list[Maandcijfers]:
    """The figures of every month of the period, newest first.

    Starts and ends are counted per day by two index range scans (grouping on the indexed
    date itself is half the work of grouping on its month), then per month, with the running
    total kept in SQL (a window over the months). Joining every month to every deelname would
    read the contract once per month.
    """
    begin = _aantal_voor(contract_id, periode.van)
    in_contract = _d.c.contract_id == contract_id
    starts = (
        select(_d.c.ingangsdatum.label("dag"), func.count().label("instroom"), literal(0).label("uitstroom"))
        .where(in_contract, _d.c.ingangsdatum.between(periode.van, periode.tot))
        .group_by(_d.c.ingangsdatum)
    )
    ends = (
        select(_d.c.einddatum.label("dag"), literal(0).label("instroom"), func.count().label("uitstroom"))
        .where(in_contract, _d.c.einddatum.between(periode.van, periode.tot))
        .group_by(_d.c.einddatum)
    )
    per_dag = union_all(starts, ends).subquery()
    maand = maand_van(per_dag.c.dag)
    instroom, uitstroom = func.sum(per_dag.c.instroom), func.sum(per_dag.c.uitstroom)
    stand = literal(begin) + func.sum(instroom - uitstroom).over(order_by=maand)
    rijen = {
        m: (int(i), int(u), int(s))
        for m, i, u, s in db.session.execute(
            select(maand, instroom, uitstroom, stand).group_by(maand).order_by(maand)
        )
    }
    cijfers, aantal = [], begin
    for start in periode.maandstarts():
        instroom_m, uitstroom_m, aantal = rijen.get(start.strftime("%Y-%m"), (0, 0, aantal))
        cijfers.append(Maandcijfers(start, aantal, instroom_m, uitstroom_m))
    return cijfers[::-1]


# -- the in- en uitstroomlijst --------------------------------------------------------------


@dataclass(frozen=True)
class Lijstopdracht:
    """What the user asked for; ``contract_id`` is one of the user's contracts."""

    contract_id: int
    periode: Periode
    alle: bool = False  # "Toon alle deelnemers" instead of only in- and uitstromers
    sorteer: str = "naam"
    pagina: int = 1
    per_pagina: int = STANDAARD_PER_PAGINA


class Rij(NamedTuple):
    """A line of the list, in the download's column order (the download writes it as is)."""

    contract: str
    naam: str
    bsn: str
    relatienummer: str
    geboortedatum: date
    ingangsdatum: date
    einddatum: date | None
    beweging: str  # In, Uit, In en uit, or "" (deelnemer throughout the period)
    reden_einde: str


def beweging(ingangsdatum: date, einddatum: date | None, periode: Periode) -> str:
    """Whether a deelname came in, went out, or both within the period."""
    erin = periode.van <= ingangsdatum <= periode.tot
    eruit = einddatum is not None and periode.van <= einddatum <= periode.tot
    return IN_EN_UIT if erin and eruit else IN if erin else UIT if eruit else ""


def _voorwaarden(opdracht: Lijstopdracht) -> list:
    van, tot = opdracht.periode.van, opdracht.periode.tot
    terms = [_d.c.contract_id == opdracht.contract_id]
    if opdracht.alle:
        terms += [_d.c.ingangsdatum <= tot, func.coalesce(_d.c.einddatum, _NOOIT) >= van]
    else:
        terms.append(or_(_d.c.ingangsdatum.between(van, tot), _d.c.einddatum.between(van, tot)))
    return terms


def _volgorde(sorteer: str) -> tuple[list, bool]:
    """ORDER BY terms, and whether they need the persoon table."""
    sorteer = sorteer if sorteer in SORTERINGEN else "naam"
    if sorteer == "naam":
        # The order of the index (contract, name, einddatum): "Toon alle deelnemers" reads
        # its first page without sorting the contract.
        return [_d.c.zoek_achternaam, _d.c.einddatum, _d.c.id], False
    kolom = {
        "geboortedatum": _p.c.geboortedatum,
        "ingangsdatum": _d.c.ingangsdatum,
        "einddatum": _d.c.einddatum,
    }[sorteer.lstrip("-")]
    richting = kolom.desc() if sorteer.startswith("-") else kolom.asc()
    return [richting.nulls_last(), _d.c.zoek_achternaam, _d.c.id], kolom is _p.c.geboortedatum


def _kolommen():
    """The list's columns, in the download's order."""
    return select(
        _c.c.nummer,
        zoeken.NAAM,
        _p.c.bsn,
        _p.c.relatienummer,
        _p.c.geboortedatum,
        _d.c.ingangsdatum,
        _d.c.einddatum,
        _d.c.reden_einde,
    ).select_from(_d.join(_p, _p.c.id == _d.c.persoon_id).join(_c, _c.c.id == _d.c.contract_id))


def _als_rijen(rows, periode: Periode) -> Iterator[Rij]:
    """Rows of ``_kolommen`` as lines of the list; a plain loop, as a year of a big contract is
    tens of thousands of them."""
    reden = REDENEN.get
    for contract, naam, bsn, relatienummer, geboren, ingangsdatum, einddatum, reden_einde in rows:
        yield Rij(
            contract,
            naam,
            bsn,
            relatienummer,
            geboren,
            ingangsdatum,
            einddatum,
            beweging(ingangsdatum, einddatum, periode),
            reden(reden_einde or "", ""),
        )


def lijst(opdracht: Lijstopdracht) -> Resultaat:
    """One page of the list, and how many deelnames it holds.

    The page is chosen on the deelname table alone (its ids), and only those rows are then
    joined to their persoon: sorting thousands of joined rows to show 25 cost three times more.
    """
    voorwaarden = _voorwaarden(opdracht)
    aantal = db.session.execute(select(func.count()).select_from(_d).where(*voorwaarden)).scalar_one()
    pagina = Pagina.kies(opdracht.pagina, opdracht.per_pagina, aantal, PER_PAGINA)
    rijen = []
    if aantal:
        volgorde, met_persoon = _volgorde(opdracht.sorteer)
        bron = _d.join(_p, _p.c.id == _d.c.persoon_id) if met_persoon else _d
        ids = db.session.scalars(
            select(_d.c.id)
            .select_from(bron)
            .where(*voorwaarden)
            .order_by(*volgorde)
            .limit(pagina.per_pagina)
            .offset(pagina.vanaf)
        ).all()
        per_id = {
            row[-1]: row[:-1]
            for row in db.session.execute(_kolommen().add_columns(_d.c.id).where(_d.c.id.in_(ids)))
        }
        rijen = list(_als_rijen((per_id[i] for i in ids), opdracht.periode))
    return Resultaat.van(rijen, pagina)


def export_rijen(opdracht: Lijstopdracht, batch: int = 5000) -> Iterator[Rij]:
    """Every deelname of the list in its order, streamed in the download's columns."""
    volgorde, _ = _volgorde(opdracht.sorteer)
    stmt = _kolommen().where(*_voorwaarden(opdracht)).order_by(*volgorde)
    yield from _als_rijen(
        db.session.execute(stmt.execution_options(yield_per=batch)).tuples(), opdracht.periode
    )
