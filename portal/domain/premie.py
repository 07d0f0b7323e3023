"""Premiums: a product's monthly tariff and the collective discount of a contract.

The one place that computes what a person pays; the wizard, the polisblad and the borderellen
all call it. The rules (README "Borderellen"):

* the tariff is the product's maandpremie of the calendar year of the month billed;
* a month partly insured pays by day: maandpremie x insured days / days in the month, rounded
  half up to the cent (the bruto premie);
* the collective discount is taken off the bruto premie: netto = bruto x (100 - korting) / 100,
  rounded half up to the cent; korting = bruto - netto, so bruto = korting + netto exactly;
* the basisverzekering is free for children under 18: premium is owed from the first day of the
  month after the 18th birthday (someone born on 29 February turns 18 on 28 February).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from sqlalchemy import select

from portal.domain.dates import volgende_maand
from portal.extensions import db
from portal.models import ContractProduct, PolisProduct, Product, ProductTarief

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Premie:
    """One product's monthly premium in a contract and year."""

    product: Product
    bruto: Decimal
    korting_percentage: Decimal

    @property
    def netto(self) -> Decimal:
        return netto(self.bruto, self.korting_percentage)

    @property
    def korting(self) -> Decimal:
        return self.bruto - self.netto


def netto(bruto: Decimal, korting_percentage: Decimal) -> Decimal:
    """The premium after the collective discount, rounded half up to the cent."""
    return (bruto * (Decimal(100) - korting_percentage) / Decimal(100)).quantize(CENT, rounding=ROUND_HALF_UP)


def aanbod(contract_id: int, jaar: int) -> list[Premie]:
    """The products a contract offers with a tariff in ``jaar``, in the order of ``_op_volgorde``."""
    rows = db.session.execute(
        select(Product, ProductTarief.maandpremie, ContractProduct.korting_percentage)
        .join(ContractProduct, ContractProduct.product_id == Product.id)
        .join(ProductTarief, (ProductTarief.product_id == Product.id) & (ProductTarief.jaar == jaar))
        .where(ContractProduct.contract_id == contract_id)
    ).all()
    return _op_volgorde(Premie(product, bruto, korting) for product, bruto, korting in rows)


def _op_volgorde(premies) -> list[Premie]:
    """The basisverzekering first, then the aanvullende pakketten by groep and premium."""
    return sorted(
        premies, key=lambda p: (p.product.soort != "basis", p.product.groep or "~", p.bruto, p.product.code)
    )


def som(premies) -> Decimal:
    """The total monthly premium after discount."""
    return sum((p.netto for p in premies), Decimal("0.00"))


def van_polis(polis, jaar: int | None = None) -> list[Premie]:
    """The premiums of a polis's running products in ``jaar`` (default: its first year), with
    the discount of its contract (none once the polis is individual)."""
    jaar = jaar or polis.ingangsdatum.year
    rows = db.session.execute(
        select(Product, ProductTarief.maandpremie, ContractProduct.korting_percentage)
        .join(PolisProduct, PolisProduct.product_id == Product.id)
        .join(ProductTarief, (ProductTarief.product_id == Product.id) & (ProductTarief.jaar == jaar))
        .outerjoin(
            ContractProduct,
            (ContractProduct.product_id == Product.id) & (ContractProduct.contract_id == polis.contract_id),
        )
        .where(PolisProduct.polis_id == polis.id, PolisProduct.einddatum.is_(None))
    ).all()
    # No discount row: the polis is individual (or the contract no longer offers the product).
    return _op_volgorde(Premie(product, bruto, korting or Decimal("0")) for product, bruto, korting in rows)


# -- the borderel's amounts --------------------------------------------------------------------

BASIS = "basis"
MEERDERJARIG = 18


@lru_cache(maxsize=65536)  # a million borderel lines share some 25,000 birthdays
def premieplichtig_vanaf(geboortedatum: date) -> date:
    """The first day the basisverzekering costs premium: the 1st of the month after the 18th
    birthday."""
    jaar = geboortedatum.year + MEERDERJARIG
    dag = min(geboortedatum.day, calendar.monthrange(jaar, geboortedatum.month)[1])
    return volgende_maand(date(jaar, geboortedatum.month, dag))


def premievrij(soort: str, geboortedatum: date, maand: date) -> bool:
    """Whether the product costs nothing in ``maand``: the basisverzekering of a minor."""
    return soort == BASIS and maand < premieplichtig_vanaf(geboortedatum)


@dataclass(frozen=True)
class Bedrag:
    """A borderel line's amounts."""

    bruto: Decimal
    korting: Decimal
    netto: Decimal

    def __add__(self, other: Bedrag) -> Bedrag:
        return Bedrag(self.bruto + other.bruto, self.korting + other.korting, self.netto + other.netto)

    def __sub__(self, other: Bedrag) -> Bedrag:
        return Bedrag(self.bruto - other.bruto, self.korting - other.korting, self.netto - other.netto)

    @property
    def nul(self) -> bool:
        return not (self.bruto or self.korting or self.netto)


NUL = Bedrag(Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))


def bedrag(maandpremie: Decimal, korting_percentage: Decimal, dagen: int, dagen_in_maand: int) -> Bedrag:
    """The amounts for ``dagen`` insured days of a month of ``dagen_in_maand`` days."""
    bruto = (maandpremie * dagen / dagen_in_maand).quantize(CENT, rounding=ROUND_HALF_UP)
    nett = netto(bruto, korting_percentage)
    return Bedrag(bruto, bruto - nett, nett)


def maandbedrag(
    *,
    maandpremie: Decimal,
    korting_percentage: Decimal,
    soort: str,
    geboortedatum: date,
    maand: date,
    van: date,
    tm: date,
) -> Bedrag:
    """What one product costs for the days ``van``..``tm`` (inclusive) of ``maand``."""
    dagen_in_maand = calendar.monthrange(maand.year, maand.month)[1]
    if premievrij(soort, geboortedatum, maand):
        return NUL
    return bedrag(maandpremie, korting_percentage, (tm - van).days + 1, dagen_in_maand)
