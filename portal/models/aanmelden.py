"""Number series and the unfinished registrations of the Nieuwe deelnemer wizard."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import Model
from portal.models.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from portal.models.gebruiker import AuthSession


class NummerReeks(Model):
    """The next free number of a series (relatienummer, polisnummer), shared by all workers."""

    __tablename__ = "nummer_reeks"

    naam: Mapped[str] = mapped_column(String(30), primary_key=True)
    volgende: Mapped[int]


class AanmeldConcept(Model):
    """What a user typed in the wizard so far: kept per login session, never a deelname.

    It lives only as long as the login session (deleted at logout and when stale) and is
    addressed by a random token, so one user's drafts are invisible to everyone else.
    """

    __tablename__ = "aanmeld_concept"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    auth_session_id: Mapped[int] = mapped_column(
        ForeignKey("auth_session.id", ondelete="CASCADE"), index=True
    )
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"))
    # Bijschrijven: the hoofdverzekerde's deelname the gezinsleden join.
    hoofd_deelname_id: Mapped[int | None] = mapped_column(ForeignKey("deelname.id"))
    gegevens: Mapped[dict] = mapped_column(JSON, default=dict)
    # Once registered: the relatienummers and polisnummers, for the confirmation page.
    uitkomst: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    afgerond_op: Mapped[datetime | None] = mapped_column(UTCDateTime)

    auth_session: Mapped[AuthSession] = relationship()
