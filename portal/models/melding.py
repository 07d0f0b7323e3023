"""Meldingen (aanmelding, afmelding, wijziging) from every channel, and uploads."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import Model
from portal.models.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from portal.models.contract import Contract
    from portal.models.gebruiker import Gebruiker


class Upload(Model):
    """An uploaded file of aan- en afmeldingen for one contract; its processing report
    (verwerkingsverslag). The file itself is not kept: its lines are, as ``UploadRegel``.

    ontvangen → controleren → gecontroleerd → verwerken → klaar, or geannuleerd after the
    check. ``gedaan`` counts the lines the running phase has finished (the progress bar).
    """

    __tablename__ = "upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contract.id"), index=True)
    gebruiker_id: Mapped[int | None] = mapped_column(ForeignKey("gebruiker.id"))
    # Shown to the user only; the server names the upload by a random token.
    oorspronkelijke_naam: Mapped[str] = mapped_column(String(255))
    opslag_naam: Mapped[str] = mapped_column(String(100), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="ontvangen")
    totaal: Mapped[int] = mapped_column(default=0)
    gedaan: Mapped[int] = mapped_column(default=0)
    goedgekeurd: Mapped[int] = mapped_column(default=0)  # lines the check found in order
    verwerkt: Mapped[int] = mapped_column(default=0)
    afgekeurd: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    voortgang_op: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    contract: Mapped[Contract | None] = relationship()
    gebruiker: Mapped[Gebruiker | None] = relationship()

    __table_args__ = (
        CheckConstraint(
            "status IN ('ontvangen', 'controleren', 'gecontroleerd', 'verwerken', 'klaar', 'geannuleerd')",
            name="ck_upload_status",
        ),
    )


class UploadRegel(Model):
    """One line of an upload: the melding it holds (API shape), the dry run's findings and,
    once processed, the melding row with its result."""

    __tablename__ = "upload_regel"

    id: Mapped[int] = mapped_column(primary_key=True)
    upload_id: Mapped[int] = mapped_column(ForeignKey("upload.id", ondelete="CASCADE"))
    regelnummer: Mapped[int]
    gegevens: Mapped[dict] = mapped_column(JSON, default=dict)
    # Found while reading the file (unknown soort, the same melding twice): never sent on.
    leesfouten: Mapped[list] = mapped_column(JSON, default=list)
    controle: Mapped[list | None] = mapped_column(JSON)
    melding_id: Mapped[int | None] = mapped_column(ForeignKey("melding.id"))

    melding: Mapped[Melding | None] = relationship()

    __table_args__ = (UniqueConstraint("upload_id", "regelnummer", name="uq_upload_regel"),)


class Melding(Model):
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
    # The day in the Netherlands: the verwerkingsverslag of API meldingen is per day.
    ontvangen_dag: Mapped[date | None] = mapped_column(
        default=lambda: utcnow().astimezone(ZoneInfo("Europe/Amsterdam")).date()
    )
    # How screens name the melding (Mislukte verwerkingen): not the database id.
    kenmerk: Mapped[str | None] = mapped_column(String(20), default=lambda: secrets.token_hex(10))
    verwerkt_op: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A rejected melding stays open on Mislukte verwerkingen until corrected or discarded.
    afgehandeld_op: Mapped[datetime | None] = mapped_column(UTCDateTime)
    afhandeling: Mapped[str | None] = mapped_column(String(300))

    upload: Mapped[Upload | None] = relationship()

    __table_args__ = (
        UniqueConstraint("bron", "extern_id", name="uq_melding_bron_extern_id"),
        UniqueConstraint("kenmerk", name="uq_melding_kenmerk"),
        CheckConstraint("soort IN ('aanmelding', 'afmelding', 'wijziging')", name="ck_melding_soort"),
        CheckConstraint("status IN ('ontvangen', 'verwerkt', 'afgekeurd')", name="ck_melding_status"),
        CheckConstraint("kanaal IN ('portal', 'upload', 'api', 'correctie')", name="ck_melding_kanaal"),
        Index("ix_melding_contract_status", "contract_id", "status", "ontvangen_op"),
        Index("ix_melding_contract_kanaal_dag", "contract_id", "kanaal", "ontvangen_dag"),
    )
