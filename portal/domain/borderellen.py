"""Borderellen en facturen: each contract's monthly premium statement, generated once.

``genereer(contract, maand)`` writes the borderel of one month: a line per insured person and
product for the days of the month that the deelname, the polis and the product all run, and
correction lines for months billed earlier whose amounts changed since (a late afmelding, a
corrected date): the difference between what is owed now and what all earlier borderellen
billed for that month. Generated borderellen and facturen are never rewritten; a second run
for the same contract and month finds the first and makes nothing.

The CSV (written by ``portal.documents.borderel``, which the caller passes in) is kept
gzip-compressed in the borderel row; its lines are also kept as rows (``borderel_regel``),
which is what later corrections compare against.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple, Protocol

from sqlalchemy import String, func, select, type_coerce
from sqlalchemy.exc import IntegrityError

from portal.domain import berichten, premie, zoeken
from portal.domain.dates import eerste_dag, laatste_dag, maandnaam, vandaag
from portal.extensions import db
from portal.models import (
    Borderel,
    BorderelRegel,
    Contract,
    ContractProduct,
    Deelname,
    Factuur,
    Persoon,
    Polis,
    PolisProduct,
    Product,
    ProductTarief,
)

BETAALTERMIJN_DAGEN = 30
ZICHTBAAR_MAANDEN = 13  # the current month and the previous twelve
_NOOIT = date(9999, 12, 31)
_BATCH = 5000

_d, _p, _pol, _pp = Deelname.__table__, Persoon.__table__, Polis.__table__, PolisProduct.__table__
_pr, _pt, _cp = Product.__table__, ProductTarief.__table__, ContractProduct.__table__


class Regel(NamedTuple):
    """A borderel line (a tuple: a million are made each month)."""

    persoon_id: int
    relatienummer: str
    bsn: str
    naam: str
    geboortedatum: date
    product_id: int
    product: str
    maand: date
    van: date
    tm: date
    bedrag: premie.Bedrag
    correctie: bool = False


class Bestand(Protocol):
    """A borderel's file as it is written: ``regel`` per line, then ``sluit`` gives its content."""

    def regel(self, regel: Regel) -> None: ...

    def sluit(self, totaal: premie.Bedrag) -> bytes: ...


class Documenten(Protocol):
    """How a borderel and its factuur are written down: ``portal.documents.borderel.DOCUMENTEN``,
    passed in by the caller (the domain decides what they say, not how they look)."""

    def borderel(self) -> Bestand: ...

    def factuur(self, contract: Contract, borderel: Borderel, factuur: Factuur) -> bytes: ...


# -- what is owed ---------------------------------------------------------------------------------


def _segmenten(contract_id: int, van: date, tm: date, persoon_ids: Iterable[int] | None = None):
    """Rows of (persoon, deelname, polis, product) whose periods all touch ``van``..``tm``.

    Amounts come back as text: exact as Decimal, and few distinct values for ``_bedrag``'s cache.
    """
    stmt = (
        select(
            _p.c.id,
            _p.c.relatienummer,
            _p.c.bsn,
            zoeken.NAAM,
            _p.c.geboortedatum,
            _d.c.ingangsdatum,
            _d.c.einddatum,
            _pol.c.ingangsdatum,
            _pol.c.einddatum,
            _pp.c.ingangsdatum,
            _pp.c.einddatum,
            _pr.c.id,
            _pr.c.naam,
            _pr.c.soort,
            type_coerce(_pt.c.jaar, String),
            type_coerce(_pt.c.maandpremie, String),
            type_coerce(_cp.c.korting_percentage, String),
        )
        .select_from(
            _d.join(_p, _p.c.id == _d.c.persoon_id)
            .join(_pol, _pol.c.persoon_id == _d.c.persoon_id)
            .join(_pp, _pp.c.polis_id == _pol.c.id)
            .join(_pr, _pr.c.id == _pp.c.product_id)
            .join(_pt, (_pt.c.product_id == _pr.c.id) & (_pt.c.jaar.between(van.year, tm.year)))
            .outerjoin(_cp, (_cp.c.contract_id == _d.c.contract_id) & (_cp.c.product_id == _pr.c.id))
        )
        .where(
            _d.c.contract_id == contract_id,
            _d.c.ingangsdatum <= tm,
            func.coalesce(_d.c.einddatum, _NOOIT) >= van,
            _pol.c.ingangsdatum <= tm,
            func.coalesce(_pol.c.einddatum, _NOOIT) >= van,
            _pp.c.ingangsdatum <= tm,
            func.coalesce(_pp.c.einddatum, _NOOIT) >= van,
        )
        .order_by(
            _d.c.zoek_achternaam,
            _p.c.id,
            _pr.c.soort.desc(),
            _pr.c.code,
            _d.c.ingangsdatum,
            _pp.c.ingangsdatum,
        )
    )
    if persoon_ids is not None:
        stmt = stmt.where(_d.c.persoon_id.in_(list(persoon_ids)))
    return db.session.execute(stmt.execution_options(yield_per=_BATCH)).tuples()


@lru_cache(maxsize=4096)
def _bedrag(maandpremie: str, korting: str, dagen: int, dagen_in_maand: int, vrij: bool) -> premie.Bedrag:
    # Most lines are a whole month at one of a few tariffs: computed once each.
    if vrij:
        return premie.NUL
    # str() first: SQLite may hand NUMERIC back as a float, which Decimal would take too literally.
    return premie.bedrag(Decimal(str(maandpremie)), Decimal(str(korting)), dagen, dagen_in_maand)


def _regels(rijen, maanden: list[date]) -> Iterator[Regel]:
    """The lines of each month in ``maanden`` that the rows cover."""
    per_maand = [(maand, laatste_dag(maand), laatste_dag(maand).day) for maand in maanden]
    for (
        persoon_id,
        relatienummer,
        bsn,
        naam,
        geboortedatum,
        d_van,
        d_tm,
        pol_van,
        pol_tm,
        pp_van,
        pp_tm,
        product_id,
        product,
        soort,
        jaar,
        maandpremie,
        korting,
    ) in rijen:
        begin = max(d_van, pol_van, pp_van)
        einden = [e for e in (d_tm, pol_tm, pp_tm) if e is not None]
        eind = min(einden) if einden else _NOOIT
        jaar = int(jaar)
        korting = korting if korting is not None else "0"
        for maand, einde_maand, dagen_in_maand in per_maand:
            if maand.year != jaar:
                continue
            van, tm = max(begin, maand), min(eind, einde_maand)
            if van > tm:
                continue
            bedrag = _bedrag(
                maandpremie,
                korting,
                (tm - van).days + 1,
                dagen_in_maand,
                premie.premievrij(soort, geboortedatum, maand),
            )
            yield Regel(
                persoon_id,
                relatienummer,
                bsn,
                naam,
                geboortedatum,
                product_id,
                product,
                maand,
                van,
                tm,
                bedrag,
            )


def premieregels(contract_id: int, maand: date) -> Iterator[Regel]:
    """The premium lines of one month, in name order (what the borderel of that month lists)."""
    return _regels(_segmenten(contract_id, maand, laatste_dag(maand)), [maand])


# -- corrections ----------------------------------------------------------------------------------


def correctieregels(contract_id: int, maand: date, sinds: datetime) -> list[Regel]:
    """Corrections for months before ``maand`` already billed, for the people whose deelname
    changed after ``sinds`` (the previous borderel)."""
    gewijzigd = db.session.scalars(
        select(_d.c.persoon_id).where(_d.c.contract_id == contract_id, _d.c.gewijzigd_op > sinds).distinct()
    ).all()
    if not gewijzigd:
        return []
    gefactureerde_maanden = db.session.scalars(
        select(Borderel.periode).where(Borderel.contract_id == contract_id, Borderel.periode < maand)
    ).all()
    if not gefactureerde_maanden:
        return []
    maanden = sorted(gefactureerde_maanden)
    regels = []
    for start in range(0, len(gewijzigd), 500):
        personen = gewijzigd[start : start + 500]
        verschuldigd: dict[tuple, premie.Bedrag] = defaultdict(lambda: premie.NUL)
        gegevens: dict[int, Regel] = {}
        producten: dict[int, str] = {}
        rijen = _segmenten(contract_id, maanden[0], laatste_dag(maanden[-1]), personen)
        for regel in _regels(rijen, maanden):
            sleutel = (regel.persoon_id, regel.product_id, regel.maand)
            verschuldigd[sleutel] += regel.bedrag
            gegevens.setdefault(regel.persoon_id, regel)
            producten[regel.product_id] = regel.product
        gefactureerd = {
            (persoon_id, product_id, m): premie.Bedrag(Decimal(b), Decimal(k), Decimal(n))
            for persoon_id, product_id, m, b, k, n in db.session.execute(
                select(
                    BorderelRegel.persoon_id,
                    BorderelRegel.product_id,
                    BorderelRegel.maand,
                    func.sum(BorderelRegel.bruto),
                    func.sum(BorderelRegel.korting),
                    func.sum(BorderelRegel.netto),
                )
                .where(
                    BorderelRegel.contract_id == contract_id,
                    BorderelRegel.persoon_id.in_(personen),
                    BorderelRegel.maand < maand,
                )
                .group_by(BorderelRegel.persoon_id, BorderelRegel.product_id, BorderelRegel.maand)
            )
        }
        ontbrekend = {p for p, _, _ in gefactureerd if p not in gegevens}
        gegevens.update(_persoonsgegevens(ontbrekend))
        producten.update(_productnamen({pr for _, pr, _ in gefactureerd if pr not in producten}))
        for sleutel in sorted(set(verschuldigd) | set(gefactureerd), key=lambda s: (s[2], s[0], s[1])):
            verschil = verschuldigd.get(sleutel, premie.NUL) - gefactureerd.get(sleutel, premie.NUL)
            if verschil.nul:
                continue
            persoon_id, product_id, m = sleutel
            p = gegevens[persoon_id]
            regels.append(
                Regel(
                    persoon_id,
                    p.relatienummer,
                    p.bsn,
                    p.naam,
                    p.geboortedatum,
                    product_id,
                    producten[product_id],
                    m,
                    m,
                    laatste_dag(m),
                    verschil,
                    correctie=True,
                )
            )
    return regels


def _persoonsgegevens(ids: set[int]) -> dict[int, Regel]:
    """Name and numbers of people who were billed but owe nothing now (a stub line to copy)."""
    if not ids:
        return {}
    return {
        p.id: Regel(
            p.id,
            p.relatienummer,
            p.bsn,
            p.volledige_naam,
            p.geboortedatum,
            0,
            "",
            date.min,
            date.min,
            date.min,
            premie.NUL,
        )
        for p in db.session.scalars(select(Persoon).where(Persoon.id.in_(ids)))
    }


def _productnamen(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(
        db.session.execute(select(Product.id, Product.naam).where(Product.id.in_(ids))).tuples().all()
    )


# -- the documents --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Uitkomst:
    contract: str
    maand: date
    borderel_id: int | None
    regels: int = 0
    nieuw: bool = False


def genereer(
    contract: Contract, maand: date, gemaakt_op: date | None = None, *, documenten: Documenten
) -> Uitkomst:
    """The borderel and factuur of ``contract`` for ``maand``, unless they exist already;
    ``documenten`` writes the file and the PDF (``portal.documents.borderel.DOCUMENTEN``)."""
    maand = eerste_dag(maand)
    bestaand = db.session.scalar(
        select(Borderel.id).where(Borderel.contract_id == contract.id, Borderel.periode == maand)
    )
    if bestaand is not None:
        return Uitkomst(contract.nummer, maand, bestaand)
    gemaakt_op = gemaakt_op or vandaag()
    vorige = db.session.scalar(
        select(func.max(Borderel.created_at)).where(
            Borderel.contract_id == contract.id, Borderel.periode < maand
        )
    )
    borderel = Borderel(
        contract_id=contract.id,
        periode=maand,
        inhoud=b"",
        bestandsnaam=f"concept-{contract.id}-{maand:%Y%m}",
        totaal_bruto=Decimal("0"),
        totaal_korting=Decimal("0"),
        totaal_netto=Decimal("0"),
    )
    try:
        with db.session.begin_nested():
            db.session.add(borderel)
    except IntegrityError:  # a simultaneous run made it first (the savepoint undid only this)
        return Uitkomst(contract.nummer, maand, None)

    bestand = documenten.borderel()
    bruto = korting = netto = Decimal("0.00")
    aantal = 0
    borderel_id, contract_id = borderel.id, contract.id  # plain ints in the loop, not ORM reads
    correcties = correctieregels(contract_id, maand, vorige) if vorige is not None else []
    batch = []
    for regel in _alle(premieregels(contract_id, maand), correcties):
        bestand.regel(regel)
        bruto += regel.bedrag.bruto
        korting += regel.bedrag.korting
        netto += regel.bedrag.netto
        aantal += 1
        batch.append(_db_rij(borderel_id, contract_id, regel))
        if len(batch) >= _BATCH:
            _bewaar(batch)
            batch = []
    if batch:
        _bewaar(batch)
    totaal = premie.Bedrag(bruto, korting, netto)
    # The first and last line ids name the file, as in the manual's examples.
    eerste_id, laatste_id = db.session.execute(
        select(func.min(BorderelRegel.id), func.max(BorderelRegel.id)).where(
            BorderelRegel.borderel_id == borderel.id
        )
    ).one()
    kenmerk = f"{eerste_id}_{laatste_id}" if eerste_id else f"{borderel.id}_0"
    borderel.bestandsnaam = f"BOR-{contract.nummer}-{gemaakt_op:%Y%m%d}-1ZENZ-{kenmerk}.csv"
    borderel.inhoud = bestand.sluit(totaal)
    borderel.aantal_regels = aantal
    borderel.totaal_bruto, borderel.totaal_korting, borderel.totaal_netto = (
        totaal.bruto,
        totaal.korting,
        totaal.netto,
    )
    factuur = Factuur(
        borderel_id=borderel.id,
        factuurnummer=f"F{maand:%Y%m}-{contract.nummer}",
        factuurdatum=gemaakt_op,
        vervaldatum=gemaakt_op + timedelta(days=BETAALTERMIJN_DAGEN),
        bedrag=totaal.netto,
        pdf=b"",
    )
    factuur.pdf = documenten.factuur(contract, borderel, factuur)
    db.session.add(factuur)
    berichten.borderel_klaar(contract, maandnaam(maand))
    return Uitkomst(contract.nummer, maand, borderel.id, aantal, nieuw=True)


def _alle(premies: Iterator[Regel], correcties: list[Regel]) -> Iterator[Regel]:
    yield from premies
    yield from correcties


_INSERT_REGEL = (
    "INSERT INTO borderel_regel (borderel_id, contract_id, persoon_id, product_id, maand, "
    "periode_van, periode_tm, bruto, korting, netto, correctie) VALUES ({})"
)


_iso = lru_cache(maxsize=4096)(date.isoformat)


def _db_rij(borderel_id: int, contract_id: int, regel: Regel) -> tuple:
    # Plain values for the driver's own executemany: a million lines a month should not pay
    # the ORM's (or the column types') work per value. Dates as ISO text, amounts as exact
    # decimal text.
    b = regel.bedrag
    return (
        borderel_id,
        contract_id,
        regel.persoon_id,
        regel.product_id,
        _iso(regel.maand),
        _iso(regel.van),
        _iso(regel.tm),
        str(b.bruto),
        str(b.korting),
        str(b.netto),
        regel.correctie,
    )


def _bewaar(batch: list[tuple]) -> None:
    verbinding = db.session.connection()
    teken = "?" if verbinding.dialect.paramstyle == "qmark" else "%s"
    verbinding.exec_driver_sql(_INSERT_REGEL.format(", ".join([teken] * 11)), batch)


def lopende_contracten(maand: date) -> list[Contract]:
    """The contracts running in ``maand``: those a monthly run makes a borderel for. The run
    (``flask borderellen-maken``, the monthly task) calls ``genereer`` for each and commits each
    contract on its own, so a long run keeps what it made."""
    maand = eerste_dag(maand)
    return list(
        db.session.scalars(
            select(Contract)
            .where(
                Contract.ingangsdatum <= laatste_dag(maand),
                func.coalesce(Contract.einddatum, _NOOIT) >= maand,
            )
            .order_by(Contract.nummer)
        )
    )
