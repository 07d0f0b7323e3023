"""Organisaties, contracten (collectiviteiten) and the verzekeringen they offer."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import Model
from portal.models.types import Money


class Organisatie(Model):
    """A gemeente or werkgever, known by its KvK-nummer."""

    __tablename__ = "organisatie"

    id: Mapped[int] = mapped_column(primary_key=True)
    naam: Mapped[str] = mapped_column(String(200))
    kvk_nummer: Mapped[str] = mapped_column(String(8), unique=True)
    soort: Mapped[str] = mapped_column(String(20))  # gemeente | werkgever

    contracten: Mapped[list[Contract]] = relationship(back_populates="organisatie")

    __table_args__ = (CheckConstraint("soort IN ('gemeente', 'werkgever')", name="ck_org_soort"),)


class Contract(Model):
    """A collective contract (collectiviteit) of one organisatie."""

    __tablename__ = "contract"

    id: Mapped[int] = mapped_column(primary_key=True)
    nummer: Mapped[str] = mapped_column(String(20), unique=True)
    naam: Mapped[str] = mapped_column(String(200))
    soort: Mapped[str] = mapped_column(String(20))  # gemeente | werkgever
    organisatie_id: Mapped[int] = mapped_column(ForeignKey("organisatie.id"), index=True)
    ingangsdatum: Mapped[date]
    einddatum: Mapped[date | None]
    collectiviteitsnummer: Mapped[str] = mapped_column(String(20), unique=True)
    aanleveren_vanaf: Mapped[date | None]
    betalingswijzen: Mapped[str] = mapped_column(String(200), default="automatische_incasso")
    relatiemanager_naam: Mapped[str | None] = mapped_column(String(200))
    relatiemanager_email: Mapped[str | None] = mapped_column(String(200))
    relatiemanager_telefoon: Mapped[str | None] = mapped_column(String(30))

    organisatie: Mapped[Organisatie] = relationship(back_populates="contracten")
    producten: Mapped[list[ContractProduct]] = relationship(
        back_populates="contract", cascade="all, delete-orphan"
    )
    contactpersonen: Mapped[list[Contactpersoon]] = relationship(
        back_populates="contract", cascade="all, delete-orphan"
    )

    __table_args__ = (
        CheckConstraint("soort IN ('gemeente', 'werkgever')", name="ck_contract_soort"),
        CheckConstraint("einddatum IS NULL OR einddatum >= ingangsdatum", name="ck_contract_periode"),
    )

    @property
    def label(self) -> str:
        """How users name a contract: '12345 - Gemeente Leiden'."""
        return f"{self.nummer} - {self.naam}"


class Product(Model):
    """A verzekering: the basisverzekering or an aanvullend pakket."""

    __tablename__ = "product"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    naam: Mapped[str] = mapped_column(String(200))
    soort: Mapped[str] = mapped_column(String(20))  # basis | aanvullend
    # Aanvullende pakketten of one groep exclude each other (Goed, Beter, Best); NULL stands alone.
    groep: Mapped[str | None] = mapped_column(String(20))

    tarieven: Mapped[list[ProductTarief]] = relationship(
        back_populates="product", cascade="all, delete-orphan"
    )

    __table_args__ = (CheckConstraint("soort IN ('basis', 'aanvullend')", name="ck_product_soort"),)


class ProductTarief(Model):
    """The monthly premium of a product in one calendar year."""

    __tablename__ = "product_tarief"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    jaar: Mapped[int]
    maandpremie: Mapped[Decimal] = mapped_column(Money)

    product: Mapped[Product] = relationship(back_populates="tarieven")

    __table_args__ = (
        UniqueConstraint("product_id", "jaar", name="uq_tarief_product_jaar"),
        CheckConstraint("maandpremie >= 0", name="ck_tarief_positief"),
    )


class ContractProduct(Model):
    """A product offered in a contract, with its collective discount."""

    __tablename__ = "contract_product"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    korting_percentage: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("0"))

    contract: Mapped[Contract] = relationship(back_populates="producten")
    product: Mapped[Product] = relationship()

    __table_args__ = (
        UniqueConstraint("contract_id", "product_id", name="uq_contract_product"),
        CheckConstraint("korting_percentage >= 0 AND korting_percentage <= 100", name="ck_korting_bereik"),
    )


class Contactpersoon(Model):
    """A contact person of the organisatie for this contract."""

    __tablename__ = "contactpersoon"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"), index=True)
    naam: Mapped[str] = mapped_column(String(200))
    functie: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(200))
    telefoon: Mapped[str | None] = mapped_column(String(30))

    contract: Mapped[Contract] = relationship(back_populates="contactpersonen")
