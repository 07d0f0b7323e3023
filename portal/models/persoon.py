"""Personen, their deelnames in contracts, and polissen."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    event,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import Model
from portal.models.names import volledige_naam, zoekvelden
from portal.models.types import UTCDateTime, search_key, utcnow

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Mapper

    from portal.models.contract import Contract, Product


class Persoon(Model):
    """A person known to the insurer, identified to users by relatienummer."""

    __tablename__ = "persoon"

    id: Mapped[int] = mapped_column(primary_key=True)
    relatienummer: Mapped[str] = mapped_column(String(12), unique=True)
    bsn: Mapped[str] = mapped_column(String(9), unique=True)
    voorletters: Mapped[str] = mapped_column(String(20))
    voorvoegsel: Mapped[str | None] = mapped_column(String(20))
    achternaam: Mapped[str] = mapped_column(String(200))
    geslacht: Mapped[str] = mapped_column(String(1))  # M | V | X
    geboortedatum: Mapped[date] = mapped_column(index=True)
    nationaliteit: Mapped[str | None] = mapped_column(String(60))
    straat: Mapped[str | None] = mapped_column(String(200))
    huisnummer: Mapped[str | None] = mapped_column(String(10))
    huisnummer_toevoeging: Mapped[str | None] = mapped_column(String(10))
    postcode: Mapped[str | None] = mapped_column(String(10))
    woonplaats: Mapped[str | None] = mapped_column(String(200))
    land: Mapped[str | None] = mapped_column(String(60), default="Nederland")
    email: Mapped[str | None] = mapped_column(String(200))
    telefoon: Mapped[str | None] = mapped_column(String(30))
    naam_partner: Mapped[str | None] = mapped_column(String(200))
    voorvoegsel_partner: Mapped[str | None] = mapped_column(String(20))
    # Search keys (see ``zoekvelden``), kept in step with the name by the listeners below and
    # copied onto each deelname, where the search uses them.
    zoek_achternaam: Mapped[str] = mapped_column(search_key())
    zoek_volledig: Mapped[str] = mapped_column(search_key())

    deelnames: Mapped[list[Deelname]] = relationship(back_populates="persoon")

    __table_args__ = (
        CheckConstraint("geslacht IN ('M', 'V', 'X')", name="ck_persoon_geslacht"),
        CheckConstraint("length(bsn) = 9", name="ck_persoon_bsn_lengte"),
    )

    @property
    def volledige_naam(self) -> str:
        """'A.J. van der Berg'."""
        return volledige_naam(self.voorletters, self.voorvoegsel, self.achternaam)


@event.listens_for(Persoon, "before_insert")
@event.listens_for(Persoon, "before_update")
def _zoeksleutels(mapper: Mapper[Persoon], connection: Connection, persoon: Persoon) -> None:
    for key, value in zoekvelden(persoon.voorletters, persoon.voorvoegsel, persoon.achternaam).items():
        setattr(persoon, key, value)


@event.listens_for(Persoon, "after_update")
def _zoeksleutels_naar_deelnames(mapper: Mapper[Persoon], connection: Connection, persoon: Persoon) -> None:
    connection.execute(
        Deelname.__table__.update()
        .where(Deelname.__table__.c.persoon_id == persoon.id)
        .values(zoek_achternaam=persoon.zoek_achternaam, zoek_volledig=persoon.zoek_volledig)
    )


class Deelname(Model):
    """A persoon in a contract from ingangsdatum to einddatum (t/m).

    A gezinslid (partner, kind) hangs under the deelname of its hoofdverzekerde.
    """

    __tablename__ = "deelname"

    id: Mapped[int] = mapped_column(primary_key=True)
    persoon_id: Mapped[int] = mapped_column(ForeignKey("persoon.id"))
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"))
    ingangsdatum: Mapped[date]
    einddatum: Mapped[date | None]
    reden_einde: Mapped[str | None] = mapped_column(String(30))
    rol: Mapped[str] = mapped_column(String(20), default="hoofdverzekerde")
    hoofd_deelname_id: Mapped[int | None] = mapped_column(ForeignKey("deelname.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Any change (a late afmelding, a corrected date): the next borderel looks for these to put
    # correction lines for months already billed.
    gewijzigd_op: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Copies of the persoon's search keys: a name search within a contract and its count then
    # read one index range instead of joining a row per candidate.
    zoek_achternaam: Mapped[str] = mapped_column(search_key())
    zoek_volledig: Mapped[str] = mapped_column(search_key())

    persoon: Mapped[Persoon] = relationship(back_populates="deelnames")
    contract: Mapped[Contract] = relationship()
    hoofd_deelname: Mapped[Deelname | None] = relationship(remote_side=[id])

    __table_args__ = (
        CheckConstraint("einddatum IS NULL OR einddatum >= ingangsdatum", name="ck_deelname_periode"),
        CheckConstraint("rol IN ('hoofdverzekerde', 'partner', 'kind')", name="ck_deelname_rol"),
        CheckConstraint(
            "reden_einde IS NULL OR reden_einde IN ('einde_collectiviteit', 'overleden')",
            name="ck_deelname_reden",
        ),
        CheckConstraint(
            "(einddatum IS NULL AND reden_einde IS NULL) OR einddatum IS NOT NULL",
            name="ck_deelname_reden_vereist_einde",
        ),
        # One open deelname per person per contract; the domain also refuses overlapping periods.
        Index(
            "uq_deelname_open",
            "persoon_id",
            "contract_id",
            unique=True,
            sqlite_where=text("einddatum IS NULL"),
            postgresql_where=text("einddatum IS NULL"),
        ),
        Index("ix_deelname_contract_periode", "contract_id", "ingangsdatum", "einddatum"),
        Index("ix_deelname_contract_einde", "contract_id", "einddatum"),
        Index("ix_deelname_persoon", "persoon_id", "contract_id"),
        Index("ix_deelname_contract_naam", "contract_id", "zoek_achternaam", "einddatum"),
        Index("ix_deelname_naam", "zoek_achternaam", "contract_id", "einddatum"),
        Index("ix_deelname_volledig", "zoek_volledig", "contract_id", "einddatum"),
        Index("ix_deelname_contract_volledig", "contract_id", "zoek_volledig", "einddatum"),
        Index("ix_deelname_contract_gewijzigd", "contract_id", "gewijzigd_op"),
    )


@event.listens_for(Deelname, "before_insert")
def _deelname_zoeksleutels(mapper: Mapper[Deelname], connection: Connection, deelname: Deelname) -> None:
    persoon = deelname.__dict__.get("persoon")
    if persoon is not None and persoon.zoek_achternaam:
        deelname.zoek_achternaam, deelname.zoek_volledig = (persoon.zoek_achternaam, persoon.zoek_volledig)
        return
    row = connection.execute(
        Persoon.__table__.select()
        .with_only_columns(Persoon.__table__.c.zoek_achternaam, Persoon.__table__.c.zoek_volledig)
        .where(Persoon.__table__.c.id == deelname.persoon_id)
    ).one()
    deelname.zoek_achternaam, deelname.zoek_volledig = row


class Polis(Model):
    """An insurance policy of one person: products and betalingswijze."""

    __tablename__ = "polis"

    id: Mapped[int] = mapped_column(primary_key=True)
    polisnummer: Mapped[str] = mapped_column(String(20), unique=True)
    persoon_id: Mapped[int] = mapped_column(ForeignKey("persoon.id"), index=True)
    # The contract whose collective discount applies; NULL once the polis is individual.
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contract.id"), index=True)
    ingangsdatum: Mapped[date]
    einddatum: Mapped[date | None]
    betalingswijze: Mapped[str] = mapped_column(String(30))
    iban: Mapped[str | None] = mapped_column(String(34))
    rekeninghouder: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    persoon: Mapped[Persoon] = relationship()
    producten: Mapped[list[PolisProduct]] = relationship(back_populates="polis", cascade="all, delete-orphan")
    verzendingen: Mapped[list[PolisVerzending]] = relationship(
        back_populates="polis", cascade="all, delete-orphan"
    )

    __table_args__ = (
        CheckConstraint("einddatum IS NULL OR einddatum >= ingangsdatum", name="ck_polis_periode"),
        CheckConstraint(
            "betalingswijze IN ('automatische_incasso', 'acceptgiro', 'via_werkgever')",
            name="ck_polis_betalingswijze",
        ),
    )


class PolisProduct(Model):
    """A product on a polis for a period."""

    __tablename__ = "polis_product"

    id: Mapped[int] = mapped_column(primary_key=True)
    polis_id: Mapped[int] = mapped_column(ForeignKey("polis.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    ingangsdatum: Mapped[date]
    einddatum: Mapped[date | None]

    polis: Mapped[Polis] = relationship(back_populates="producten")
    product: Mapped[Product] = relationship()

    __table_args__ = (
        CheckConstraint("einddatum IS NULL OR einddatum >= ingangsdatum", name="ck_polisproduct_periode"),
    )


class PolisVerzending(Model):
    """The recorded mailing of a polisblad or verzekeringspas."""

    __tablename__ = "polis_verzending"

    id: Mapped[int] = mapped_column(primary_key=True)
    polis_id: Mapped[int] = mapped_column(ForeignKey("polis.id"), index=True)
    soort: Mapped[str] = mapped_column(String(20))  # polisblad | verzekeringspas
    verzonden_op: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    polis: Mapped[Polis] = relationship(back_populates="verzendingen")

    __table_args__ = (
        CheckConstraint("soort IN ('polisblad', 'verzekeringspas')", name="ck_verzending_soort"),
    )
