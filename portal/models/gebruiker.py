"""Portal accounts, their roles and contracts, login sessions and API credentials."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import Model, db
from portal.models.types import UTCDateTime, utcnow

if TYPE_CHECKING:
    from portal.models.contract import Contract, Organisatie

gebruiker_contract = Table(
    "gebruiker_contract",
    db.metadata,
    Column("gebruiker_id", ForeignKey("gebruiker.id", ondelete="CASCADE"), primary_key=True),
    Column("contract_id", ForeignKey("contract.id", ondelete="CASCADE"), primary_key=True),
)


class Gebruiker(Model):
    """A portal account, reached through one eHerkenning identity (KvK-nummer, pseudonym).

    It is also Flask-Login's user (``is_active``, ``is_authenticated``, ``is_anonymous``,
    ``get_id``), written out here so the models need no Flask.
    """

    __tablename__ = "gebruiker"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisatie_id: Mapped[int] = mapped_column(ForeignKey("organisatie.id"), index=True)
    naam: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(200))
    kvk_nummer: Mapped[str] = mapped_column(String(8))
    pseudoniem: Mapped[str] = mapped_column(String(200))
    is_administratief: Mapped[bool] = mapped_column(default=False)
    is_financieel: Mapped[bool] = mapped_column(default=False)
    is_accountbeheerder: Mapped[bool] = mapped_column(default=False)
    actief: Mapped[bool] = mapped_column(default=True)
    laatste_login: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Removed accounts stay as a row (meldingen, questions and the audit log point at them) but
    # lose their identity, roles and contracts, and no longer show in Accountbeheer.
    verwijderd_op: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # "Markeer alles als gelezen": every bericht up to this moment counts as read.
    berichten_gelezen_tot: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    organisatie: Mapped[Organisatie] = relationship()
    contracten: Mapped[list[Contract]] = relationship(
        secondary=gebruiker_contract, order_by="Contract.nummer"
    )

    __table_args__ = (UniqueConstraint("kvk_nummer", "pseudoniem", name="uq_gebruiker_identiteit"),)

    # Which flag holds which role is the domain's knowledge: ``portal.domain.rollen`` installs its
    # ``rollen_van`` here when imported (models do not import the domain). Until then an account
    # has no roles, so nothing that needs one is allowed.
    rollen_van: ClassVar[Callable[[Gebruiker], frozenset[str]]] = staticmethod(lambda gebruiker: frozenset())

    @property
    def rollen(self) -> frozenset[str]:
        """The user's roles (``portal.domain.rollen.Rol``, equal to their names)."""
        return type(self).rollen_van(self)

    @property
    def is_active(self) -> bool:  # Flask-Login asks this on every request
        return self.actief

    @property
    def is_authenticated(self) -> bool:
        return self.is_active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """What the login session remembers (Flask-Login)."""
        return str(self.id)

    def __eq__(self, other) -> bool:
        # As Flask-Login's UserMixin: the same account, also across sessions.
        if isinstance(other, Gebruiker):
            return self.get_id() == other.get_id()
        return NotImplemented

    __hash__ = object.__hash__


class AuthSession(Model):
    """A server-side login session; the cookie only carries its random token.

    Ending the row (logout, timeout, deactivation) makes the cookie worthless.
    """

    __tablename__ = "auth_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    gebruiker_id: Mapped[int] = mapped_column(ForeignKey("gebruiker.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_reason: Mapped[str | None] = mapped_column(String(30))
    loa: Mapped[str] = mapped_column(String(20))

    gebruiker: Mapped[Gebruiker] = relationship()


class LoginState(Model):
    """The one-time state of a login attempt, bound to the browser and used once."""

    __tablename__ = "login_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ApiCredential(Model):
    """The credentials of an employer's communicatieprofiel for the meldingen API."""

    __tablename__ = "api_credential"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisatie_id: Mapped[int] = mapped_column(ForeignKey("organisatie.id"), index=True)
    gebruikersnaam: Mapped[str] = mapped_column(String(100), unique=True)
    wachtwoord_hash: Mapped[str] = mapped_column(String(300))
    actief: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organisatie: Mapped[Organisatie] = relationship()
