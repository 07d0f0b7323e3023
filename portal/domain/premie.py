"""Premiums: a product's monthly tariff and the collective discount of a contract.

The one place that computes what a person pays; the wizard, the polisblad and the borderellen
all call it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select

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
    return (bruto * (Decimal(100) - korting_percentage) / Decimal(100)).quantize(
        CENT, rounding=ROUND_HALF_UP)


def aanbod(contract_id: int, jaar: int) -> list[Premie]:
    """The products a contract offers with a tariff in ``jaar``, in the order of ``_op_volgorde``."""
    rows = db.session.execute(
        select(Product, ProductTarief.maandpremie, ContractProduct.korting_percentage)
        .join(ContractProduct, ContractProduct.product_id == Product.id)
        .join(ProductTarief, (ProductTarief.product_id == Product.id) & (ProductTarief.jaar == jaar))
        .where(ContractProduct.contract_id == contract_id)).all()
    return _op_volgorde(Premie(product, bruto, korting) for product, bruto, korting in rows)


def _op_volgorde(premies) -> list[Premie]:
    """The basisverzekering first, then the aanvullende pakketten by groep and premium."""
    return sorted(premies, key=lambda p: (p.product.soort != "basis", p.product.groep or "~",
                                          p.bruto, p.product.code))


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
        .outerjoin(ContractProduct, (ContractProduct.product_id == Product.id)
                   & (ContractProduct.contract_id == polis.contract_id))
        .where(PolisProduct.polis_id == polis.id, PolisProduct.einddatum.is_(None))).all()
    # No discount row: the polis is individual (or the contract no longer offers the product).
    return _op_volgorde(Premie(product, bruto, korting or Decimal("0")) for product, bruto, korting in rows)
