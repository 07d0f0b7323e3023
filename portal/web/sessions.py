"""Server-side login sessions: started at login, ended at logout, idle and absolute timeouts.

Flask's signed cookie carries only a random token; the row behind it decides whether the
session is alive, so logout and deactivation take effect at once, on every worker.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, g, session
from flask_login import LoginManager, login_user, logout_user
from sqlalchemy import bindparam, delete, select

from portal.extensions import db
from portal.models import AanmeldConcept, AuthSession, Gebruiker
from portal.models.types import utcnow
from portal.transaction import transaction

TOKEN_KEY = "auth"  # noqa: S105 - a session key name, not a secret
# Writing last_seen on every request would make every page a write; a minute is precise enough.
TOUCH_INTERVAL = timedelta(seconds=60)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(gebruiker: Gebruiker, loa: str) -> None:
    """Log ``gebruiker`` in with a brand-new session; whatever the old cookie held is gone.
    The login view commits (with its audit record)."""
    end("nieuwe_login")
    session.clear()
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(
        AuthSession(
            token_hash=_hash(token), gebruiker_id=gebruiker.id, loa=loa, created_at=now, last_seen_at=now
        )
    )
    gebruiker.laatste_login = now
    session[TOKEN_KEY] = token
    login_user(gebruiker)


def end(reason: str) -> None:
    """End the current server-side session, if any, and clear the cookie's contents; the
    caller commits."""
    token = session.get(TOKEN_KEY)
    if token:
        row = db.session.scalar(select(AuthSession).where(AuthSession.token_hash == _hash(token)))
        if row is not None and row.ended_at is None:
            row.ended_at = utcnow()
            row.ended_reason = reason
            # Unfinished registrations hold personal data and die with the session.
            db.session.execute(delete(AanmeldConcept).where(AanmeldConcept.auth_session_id == row.id))
    logout_user()
    session.clear()


# Built once: every request of a logged-in user runs it.
_SESSIE = (
    select(AuthSession, Gebruiker)
    .join(Gebruiker, Gebruiker.id == AuthSession.gebruiker_id)
    .where(AuthSession.token_hash == bindparam("token_hash"))
)


def load_current(user_id: str) -> Gebruiker | None:
    """Return the logged-in user if the session behind the cookie is alive."""
    token = session.get(TOKEN_KEY)
    if not token:
        return None
    row = db.session.execute(_SESSIE, {"token_hash": _hash(token)}).first()
    if row is None:
        return None
    auth, gebruiker = row
    if str(gebruiker.id) != str(user_id) or auth.ended_at is not None:
        return None
    now = utcnow()
    reason = None
    if not gebruiker.actief:
        reason = "gedeactiveerd"
    elif now - auth.last_seen_at > current_app.config["SESSION_IDLE_TIMEOUT"]:
        reason = "inactief"
    elif now - auth.created_at > current_app.config["SESSION_ABSOLUTE_TIMEOUT"]:
        reason = "maximale_duur"
    # The user loader is request glue that runs before the view: its writes are their own units.
    if reason:
        with transaction():
            auth.ended_at = now
            auth.ended_reason = reason
        g.session_ended = reason
        return None
    if now - auth.last_seen_at > TOUCH_INTERVAL:
        with transaction():
            auth.last_seen_at = now
    g.auth_session = auth
    return gebruiker


def register_login_manager(manager: LoginManager) -> None:
    """Wire Flask-Login to the server-side sessions."""
    manager.session_protection = None  # the server-side session is the protection
    manager.login_view = "auth.login"
    manager.login_message = None
    manager.user_loader(load_current)
    from portal.web.access import unauthorized

    manager.unauthorized_handler(unauthorized)
