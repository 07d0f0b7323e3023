"""Berichten: notices to the users of a contract."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import Model
from portal.models.types import UTCDateTime, utcnow


class Bericht(Model):
    """A notice for a contract ('Bevestiging: Afmelding de heer D. Groot ... ontvangen').

    With ``gebruiker_id`` it is for that user only (an answer to their question, a change to
    their account); such a notice may have no contract.
    """

    __tablename__ = "bericht"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contract.id"))
    categorie: Mapped[str] = mapped_column(String(40))
    tekst: Mapped[str] = mapped_column(String(500))
    persoon_id: Mapped[int | None] = mapped_column(ForeignKey("persoon.id"), index=True)
    # Set for a bericht meant for one user only (the answer to their contact question).
    gebruiker_id: Mapped[int | None] = mapped_column(ForeignKey("gebruiker.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        Index("ix_bericht_contract_datum", "contract_id", "created_at"),
        Index("ix_bericht_gebruiker_datum", "gebruiker_id", "created_at"),
        # The category filter and its choice list, without reading all of a big contract's notices.
        Index("ix_bericht_contract_categorie", "contract_id", "categorie", "created_at"),
    )


class BerichtGelezen(Model):
    """That a user has read a bericht."""

    __tablename__ = "bericht_gelezen"

    bericht_id: Mapped[int] = mapped_column(ForeignKey("bericht.id", ondelete="CASCADE"), primary_key=True)
    gebruiker_id: Mapped[int] = mapped_column(
        ForeignKey("gebruiker.id", ondelete="CASCADE"), primary_key=True
    )
    gelezen_op: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
