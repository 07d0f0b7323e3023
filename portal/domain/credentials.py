"""API credentials of a communicatieprofiel: issued once, stored hashed."""

from __future__ import annotations

import secrets

from werkzeug.security import check_password_hash, generate_password_hash

from portal.extensions import db
from portal.models import ApiCredential
from portal.models.types import utcnow


def new_password() -> str:
    """A random password to show once."""
    return secrets.token_urlsafe(24)


def issue(organisatie, gebruikersnaam: str, wachtwoord: str | None = None) -> tuple[ApiCredential, str]:
    """Create credentials for an employer; returns the row and the plain password (shown once)."""
    wachtwoord = wachtwoord or new_password()
    credential = ApiCredential(
        organisatie_id=organisatie.id,
        gebruikersnaam=gebruikersnaam,
        wachtwoord_hash=generate_password_hash(wachtwoord),
    )
    db.session.add(credential)
    return credential, wachtwoord


def rotate(credential: ApiCredential) -> str:
    """Give the credentials a new password; the old one stops working at once."""
    wachtwoord = new_password()
    credential.wachtwoord_hash = generate_password_hash(wachtwoord)
    credential.rotated_at = utcnow()
    return wachtwoord


def check(credential: ApiCredential | None, wachtwoord: str) -> bool:
    """Whether the password matches active credentials."""
    return bool(credential and credential.actief
                and check_password_hash(credential.wachtwoord_hash, wachtwoord))
