"""Contact questions and account requests."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import Model
from portal.models.types import UTCDateTime, utcnow


class ContactVraag(Model):
    """A question from a portal user, with the page context it was asked from."""

    __tablename__ = "contact_vraag"

    id: Mapped[int] = mapped_column(primary_key=True)
    gebruiker_id: Mapped[int] = mapped_column(ForeignKey("gebruiker.id"), index=True)
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contract.id"))
    onderwerp: Mapped[str] = mapped_column(String(200))
    vraag: Mapped[str] = mapped_column(Text)
    context: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="open")
    antwoord: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    beantwoord_op: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (CheckConstraint("status IN ('open', 'beantwoord')", name="ck_contactvraag_status"),)


class AccountAanvraag(Model):
    """A request for a portal account, from someone not yet logged in."""

    __tablename__ = "account_aanvraag"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisatie_naam: Mapped[str] = mapped_column(String(200))
    kvk_nummer: Mapped[str] = mapped_column(String(8), index=True)
    naam: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(200))
    pseudoniem: Mapped[str | None] = mapped_column(String(200))
    gewenste_rollen: Mapped[list] = mapped_column(JSON, default=list)
    gewenste_contracten: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(20), default="open")
    # The organisation with this KvK-nummer, when we have it: its accountbeheerders decide.
    organisatie_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisatie.id", name="fk_account_aanvraag_organisatie"), index=True
    )
    behandeld_door_id: Mapped[int | None] = mapped_column(
        ForeignKey("gebruiker.id", name="fk_account_aanvraag_behandelaar")
    )
    gebruiker_id: Mapped[int | None] = mapped_column(
        ForeignKey("gebruiker.id", name="fk_account_aanvraag_account")
    )
    reden: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    afgehandeld_op: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint("status IN ('open', 'goedgekeurd', 'afgewezen')", name="ck_aanvraag_status"),
    )
