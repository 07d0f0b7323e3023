"""Writing the audit trail: one function every feature calls, with who, where and what.

The writer is pure: the caller says who acts (``Wie``, or None) and through which access point
(``Toegang``: the route and where it came from); the record goes into the current transaction
and is saved when the edge commits, so a change and its record are saved both or neither.
``portal.web.audit`` fills who and where from the request for views.

Records never hold a BSN: identify persons by relatienummer. As a second line of
defence any nine-digit run in free text is masked before it is stored or logged.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass

from sqlalchemy import insert

from portal.extensions import db
from portal.models import AuditLog
from portal.models.types import utcnow

logger = logging.getLogger("portal.domain.audit")
# Built once: the most frequent write of the portal (every search). A Core insert, so the
# record skips the unit of work and is written at once, in the caller's transaction.
_INSERT = insert(AuditLog.__table__)
_NINE_DIGITS = re.compile(r"(?<!\d)\d{9}(?!\d)")


@dataclass(frozen=True)
class Wie:
    """Who acts, as the audit records it, taken once: a long job (an upload of 10,000 lines)
    commits every line, and reading an account after each commit would reload it each time."""

    id: int
    rollen: frozenset[str]
    organisatie_id: int | None

    @classmethod
    def van(cls, gebruiker) -> Wie | None:
        """Of an account (or anything with id, rollen, organisatie_id); None stays None."""
        if gebruiker is None or isinstance(gebruiker, Wie):
            return gebruiker
        return cls(gebruiker.id, frozenset(gebruiker.rollen), gebruiker.organisatie_id)


@dataclass(frozen=True)
class Toegang:
    """The access point: the route ('POST /api/v1/meldingen', or 'cli') and the source (the
    client's address, or 'cli')."""

    route: str
    bron: str


CLI = Toegang("cli", "cli")


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
    wie: Wie | None,
    toegang: Toegang,
    relatienummers: list[str] | None = None,
    contract_nummer: str | None = None,
    uitkomst: str = "ok",
    details: dict | None = None,
) -> dict:
    """Append one audit record to the current transaction (saved when the caller commits)."""
    values = {
        "tijd": utcnow(),
        "gebeurtenis": gebeurtenis,
        "actie": actie,
        "gebruiker_id": wie.id if wie is not None else None,
        "rollen": ",".join(sorted(wie.rollen)) if wie is not None else None,
        "organisatie_id": wie.organisatie_id if wie is not None else None,
        "contract_nummer": contract_nummer,
        "relatienummers": list(relatienummers or []),
        "route": toegang.route,
        "bron": toegang.bron,
        "uitkomst": uitkomst,
        "details": mask(details or {}),
    }
    db.session.execute(_INSERT, values)
    if logger.isEnabledFor(logging.INFO):
        # json.dumps escapes CR/LF, so user data cannot start a forged log line.
        logger.info(
            json.dumps(
                {
                    k: values[k]
                    for k in ("gebeurtenis", "actie", "gebruiker_id", "route", "uitkomst", "details")
                },
                ensure_ascii=True,
                default=str,
            )
        )
    return values
