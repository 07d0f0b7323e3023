"""Writing the audit trail: one function every feature calls.

Records never hold a BSN: identify persons by relatienummer. As a second line of
defence any nine-digit run in free text is masked before it is stored or logged.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import bindparam, insert

from portal.extensions import db
from portal.models import AuditLog
from portal.models.types import utcnow
from portal.prepared import Prepared

logger = logging.getLogger("portal.domain.audit")
_KOLOMMEN = ("tijd", "gebeurtenis", "actie", "gebruiker_id", "rollen", "organisatie_id",
             "contract_nummer", "relatienummers", "route", "bron", "uitkomst", "details")
_tabel = AuditLog.__table__
# Prepared: the most frequent write of the portal (every search) skips the unit of work and
# the per-call statement building.
_INSERT = Prepared(insert(_tabel).values({k: bindparam(k, type_=_tabel.c[k].type) for k in _KOLOMMEN}))
_NINE_DIGITS = re.compile(r"(?<!\d)\d{9}(?!\d)")


@dataclass(frozen=True)
class Wie:
    """Who acts, as the audit records it, taken once: a long job (an upload of 10,000 lines)
    commits every line, and reading an account after each commit would reload it each time."""

    id: int
    rollen: frozenset[str]
    organisatie_id: int | None

    @classmethod
    def van(cls, gebruiker) -> Wie:
        return cls(gebruiker.id, frozenset(gebruiker.rollen), gebruiker.organisatie_id)


def mask(value):
    """Mask anything that looks like a BSN in strings, lists and dicts."""
    if isinstance(value, str):
        return _NINE_DIGITS.sub("*********", value)
    if isinstance(value, list | tuple):
        return [mask(v) for v in value]
    if isinstance(value, dict):
        return {k: mask(v) for k, v in value.items()}
    return value


def record(
    gebeurtenis: str,
    actie: str,
    *,
    relatienummers: list[str] | None = None,
    contract_nummer: str | None = None,
    uitkomst: str = "ok",
    details: dict | None = None,
    gebruiker=None,
    commit: bool = True,
) -> dict:
    """Append one audit record for the current request (or a CLI/API caller)."""
    user = gebruiker
    if user is None and has_request_context() and current_user.is_authenticated:
        user = current_user
    values = {
        "tijd": utcnow(),
        "gebeurtenis": gebeurtenis,
        "actie": actie,
        "gebruiker_id": getattr(user, "id", None),
        "rollen": ",".join(sorted(user.rollen)) if user is not None else None,
        "organisatie_id": getattr(user, "organisatie_id", None),
        "contract_nummer": contract_nummer,
        "relatienummers": list(relatienummers or []),
        "route": f"{request.method} {request.path}" if has_request_context() else "cli",
        "bron": _bron(),
        "uitkomst": uitkomst,
        "details": mask(details or {}),
    }
    _INSERT.execute(db.session, values)
    if logger.isEnabledFor(logging.INFO):
        # json.dumps escapes CR/LF, so user data cannot start a forged log line.
        logger.info(json.dumps({k: values[k] for k in ("gebeurtenis", "actie", "gebruiker_id",
                                                       "route", "uitkomst", "details")},
                               ensure_ascii=True, default=str))
    if commit:
        db.session.commit()
    return values


def _bron() -> str:
    if not has_request_context():
        return "cli"
    return (request.remote_addr or "onbekend")[:100]
