"""API credentials of a communicatieprofiel: issued once, stored hashed."""

from __future__ import annotations

import hashlib
import secrets
from collections import OrderedDict
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from sqlalchemy import bindparam, select, update
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


# Payroll software authenticates every request, and the stored hash is deliberately slow (tens of
# milliseconds). Remember recent successful checks in this process, keyed on the stored hash: a
# rotation changes the hash, so the old password stops working at once in every worker.
_GECONTROLEERD: OrderedDict[tuple[int, str, str], bool] = OrderedDict()
_MAX_ONTHOUDEN = 256


def check(credential: ApiCredential | None, wachtwoord: str) -> bool:
    """Whether the password matches active credentials."""
    if credential is None:
        return _weiger(wachtwoord)
    return _klopt(credential.id, credential.wachtwoord_hash, credential.actief, wachtwoord)


@lru_cache(maxsize=1)
def _stand_in_hash() -> str:
    """A hash made as real ones are, of a password nobody has: checked when there is no real one."""
    return generate_password_hash(new_password())


def _weiger(wachtwoord: str) -> bool:
    """Refuse after the same slow check a known username costs: otherwise an unknown (or
    deactivated) username is answered in 3 ms and a known one in 78, which tells which exist."""
    check_password_hash(_stand_in_hash(), wachtwoord)
    return False


def _klopt(credential_id: int, wachtwoord_hash: str, actief: bool, wachtwoord: str) -> bool:
    if not actief:
        return _weiger(wachtwoord)
    sleutel = (credential_id, wachtwoord_hash, hashlib.sha256(wachtwoord.encode()).hexdigest())
    if sleutel in _GECONTROLEERD:
        _GECONTROLEERD.move_to_end(sleutel)
        return True
    if not check_password_hash(wachtwoord_hash, wachtwoord):
        return False
    _GECONTROLEERD[sleutel] = True
    if len(_GECONTROLEERD) > _MAX_ONTHOUDEN:
        _GECONTROLEERD.popitem(last=False)
    return True


@dataclass(frozen=True)
class Inlog:
    """Credentials that just checked out: what a request needs of them."""

    id: int
    organisatie_id: int
    gebruikersnaam: str


# Built once: every API request runs it (columns, not the entity: a third of the cost).
_OP_NAAM = select(
    ApiCredential.id,
    ApiCredential.organisatie_id,
    ApiCredential.gebruikersnaam,
    ApiCredential.wachtwoord_hash,
    ApiCredential.actief,
    ApiCredential.last_used_at,
).where(ApiCredential.gebruikersnaam == bindparam("naam"))


def aanmelden(gebruikersnaam: str, wachtwoord: str) -> Inlog | None:
    """The credentials if the password matches active ones (and note their use), else None."""
    rij = db.session.execute(_OP_NAAM, {"naam": gebruikersnaam}).first()
    if rij is None:
        _weiger(wachtwoord)
        return None
    if not _klopt(rij.id, rij.wachtwoord_hash, rij.actief, wachtwoord):
        return None
    _gebruikt(rij.id, rij.last_used_at)
    return Inlog(rij.id, rij.organisatie_id, rij.gebruikersnaam)


def _gebruikt(credential_id: int, last_used_at) -> None:
    """Record when the credentials were last used, at most once a minute (a write per request
    would make every melding contend for the same row). The caller commits it at once, before
    the melding's work, so the row is not held while the melding is checked."""
    nu = utcnow()
    if last_used_at is None or nu - last_used_at > timedelta(minutes=1):
        db.session.execute(
            update(ApiCredential).where(ApiCredential.id == credential_id).values(last_used_at=nu)
        )
