"""Meldingen (aanmelding, afmelding, wijziging) from every channel, and uploads."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.types import UTCDateTime, utcnow


class Upload(db.Model):
    """An uploaded file of aan- en afmeldingen; its processing report (verwerkingsverslag)."""

    __tablename__ = "upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contract.id"), index=True)
    gebruiker_id: Mapped[int | None] = mapped_column(ForeignKey("gebruiker.id"))
    # Shown to the user only; the stored file gets a server-made name.
    oorspronkelijke_naam: Mapped[str] = mapped_column(String(255))
    opslag_naam: Mapped[str] = mapped_column(String(100), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="ontvangen")
    totaal: Mapped[int] = mapped_column(default=0)
    verwerkt: Mapped[int] = mapped_column(default=0)
    afgekeurd: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint(
            "status IN ('ontvangen', 'gecontroleerd', 'bezig', 'klaar', 'mislukt')",
            name="ck_upload_status",
        ),
    )


class Melding(db.Model):
    """One aanmelding, afmelding or wijziging and its processing result.

    ``bron`` names the sender (``api:<credential id>``, ``portal:<gebruiker id>``,
    ``upload:<upload id>``); the same ``extern_id`` from one sender is processed once.
    """

    __tablename__ = "melding"

    id: Mapped[int] = mapped_column(primary_key=True)
    bron: Mapped[str] = mapped_column(String(40))
    kanaal: Mapped[str] = mapped_column(String(20))  # portal | upload | api | correctie
    extern_id: Mapped[str] = mapped_column(String(100))
    body_hash: Mapped[str | None] = mapped_column(String(64))
    soort: Mapped[str] = mapped_column(String(20))
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contract.id"))
    persoon_id: Mapped[int | None] = mapped_column(ForeignKey("persoon.id"), index=True)
    upload_id: Mapped[int | None] = mapped_column(ForeignKey("upload.id"), index=True)
    regelnummer: Mapped[int | None]
    gegevens: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="ontvangen")
    fouten: Mapped[list] = mapped_column(JSON, default=list)
    antwoord: Mapped[dict | None] = mapped_column(JSON)
    ontvangen_op: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    verwerkt_op: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A rejected melding stays open on Mislukte verwerkingen until corrected or discarded.
    afgehandeld_op: Mapped[datetime | None] = mapped_column(UTCDateTime)
    afhandeling: Mapped[str | None] = mapped_column(String(300))

    upload: Mapped[Upload | None] = relationship()

    __table_args__ = (
        UniqueConstraint("bron", "extern_id", name="uq_melding_bron_extern_id"),
        CheckConstraint(
            "soort IN ('aanmelding', 'afmelding', 'wijziging')", name="ck_melding_soort"
        ),
        CheckConstraint(
            "status IN ('ontvangen', 'verwerkt', 'afgekeurd')", name="ck_melding_status"
        ),
        CheckConstraint(
            "kanaal IN ('portal', 'upload', 'api', 'correctie')", name="ck_melding_kanaal"
        ),
        Index("ix_melding_contract_status", "contract_id", "status", "ontvangen_op"),
    )
