"""The wizard's draft: what was typed so far, kept per login session until Aanmelden.

Stored in the database (so every worker sees it and the browser's back button finds it
again), addressed by a random token and bound to the login session that made it; it is
deleted at logout and when stale, and holds no deelname: nothing counts until ``registreer``.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import abort, current_app, g
from sqlalchemy import delete, select

from portal.domain.aanmelden import Betaling, Huishouden, PersoonGegevens
from portal.extensions import db
from portal.models import AanmeldConcept, AuthSession, Contract, Deelname
from portal.models.types import utcnow
from portal.transaction import transaction
from portal.web import access


def nieuw(contract: Contract, hoofd: Deelname | None = None) -> AanmeldConcept:
    opruimen()
    concept = AanmeldConcept(
        token=secrets.token_urlsafe(24),
        auth_session_id=g.auth_session.id,
        contract_id=contract.id,
        hoofd_deelname_id=hoofd.id if hoofd else None,
        gegevens={"voltooid": []} if hoofd else {"voltooid": [], "hoofd": {"nationaliteit": "Nederlandse"}},
    )
    with transaction():
        db.session.add(concept)
    return concept


def laad(token: str) -> tuple[AanmeldConcept, Contract]:
    """This session's draft and its contract; 404 for another session's token or a contract the
    user no longer has."""
    concept = db.session.scalar(
        select(AanmeldConcept).where(
            AanmeldConcept.token == token, AanmeldConcept.auth_session_id == g.auth_session.id
        )
    )
    if concept is None or concept.contract_id not in access.contract_ids():
        abort(404)
    contract = db.session.get(Contract, concept.contract_id)
    g.context_contract = contract.nummer
    return concept, contract


def bewaar(concept: AanmeldConcept, **wijzigingen) -> None:
    """Store typed values (also when they break a rule: the user comes back to them)."""
    with transaction():
        concept.gegevens = {**concept.gegevens, **wijzigingen}
        concept.updated_at = utcnow()


def voltooi_stap(concept: AanmeldConcept, stap: str) -> None:
    voltooid = [s for s in concept.gegevens.get("voltooid", []) if s != stap] + [stap]
    bewaar(concept, voltooid=voltooid)


def heeft_voltooid(concept: AanmeldConcept, *stappen: str) -> bool:
    return set(stappen) <= set(concept.gegevens.get("voltooid", []))


def huishouden(concept: AanmeldConcept, contract: Contract) -> Huishouden:
    data = concept.gegevens
    hoofd_deelname = (
        db.session.get(Deelname, concept.hoofd_deelname_id) if concept.hoofd_deelname_id else None
    )
    return Huishouden(
        contract=contract,
        ingangsdatum=data.get("ingangsdatum", ""),
        hoofd=None if hoofd_deelname else PersoonGegevens.uit(data.get("hoofd")),
        bestaand_hoofd=hoofd_deelname,
        leden=[PersoonGegevens.uit(lid) for lid in data.get("leden", [])],
        betaling=Betaling.uit(data.get("betaling")),
    )


def opruimen() -> None:
    """Drafts of ended sessions and unfinished ones older than a session may live."""
    grens = utcnow() - current_app.config["SESSION_ABSOLUTE_TIMEOUT"] - timedelta(hours=1)
    beeindigd = select(AuthSession.id).where(AuthSession.ended_at.is_not(None))
    db.session.execute(
        delete(AanmeldConcept).where(
            AanmeldConcept.auth_session_id.in_(beeindigd) | (AanmeldConcept.updated_at < grens)
        )
    )
