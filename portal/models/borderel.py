"""Borderellen (monthly premium statements) and facturen. Generated documents are immutable."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import Model
from portal.models.types import Money, UTCDateTime, utcnow

if TYPE_CHECKING:
    from portal.models.contract import Contract


class Borderel(Model):
    """The premium statement of one contract for one month; its CSV is kept gzip-compressed."""

    __tablename__ = "borderel"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"))
    periode: Mapped[date]  # the first day of the month
    bestandsnaam: Mapped[str] = mapped_column(String(120), unique=True)
    inhoud: Mapped[bytes] = mapped_column(LargeBinary)
    aantal_regels: Mapped[int] = mapped_column(default=0)
    totaal_bruto: Mapped[Decimal] = mapped_column(Money)
    totaal_korting: Mapped[Decimal] = mapped_column(Money)
    totaal_netto: Mapped[Decimal] = mapped_column(Money)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    contract: Mapped[Contract] = relationship()
    factuur: Mapped[Factuur | None] = relationship(back_populates="borderel", uselist=False)

    __table_args__ = (UniqueConstraint("contract_id", "periode", name="uq_borderel_contract_periode"),)


class BorderelRegel(Model):
    """One line of a borderel: a person, a product, a period and the amounts."""

    __tablename__ = "borderel_regel"

    id: Mapped[int] = mapped_column(primary_key=True)
    borderel_id: Mapped[int] = mapped_column(ForeignKey("borderel.id"), index=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", name="fk_borderel_regel_contract"))
    persoon_id: Mapped[int] = mapped_column(ForeignKey("persoon.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    maand: Mapped[date]  # the first day of the month the amounts are for (corrections: an earlier one)
    periode_van: Mapped[date]
    periode_tm: Mapped[date]
    bruto: Mapped[Decimal] = mapped_column(Money)
    korting: Mapped[Decimal] = mapped_column(Money)
    netto: Mapped[Decimal] = mapped_column(Money)
    correctie: Mapped[bool] = mapped_column(default=False)

    # What was billed for a person in a month of a contract, to find corrections.
    __table_args__ = (Index("ix_borderel_regel_gefactureerd", "contract_id", "persoon_id", "maand"),)


class Factuur(Model):
    """The invoice belonging to a borderel; its totals equal the borderel's."""

    __tablename__ = "factuur"

    id: Mapped[int] = mapped_column(primary_key=True)
    borderel_id: Mapped[int] = mapped_column(ForeignKey("borderel.id"), unique=True)
    factuurnummer: Mapped[str] = mapped_column(String(30), unique=True)
    factuurdatum: Mapped[date]
    vervaldatum: Mapped[date]
    bedrag: Mapped[Decimal] = mapped_column(Money)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)

    borderel: Mapped[Borderel] = relationship(back_populates="factuur")
