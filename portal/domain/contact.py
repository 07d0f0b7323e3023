"""Contact questions: storing them and answering them (back office)."""

from __future__ import annotations

from sqlalchemy import select

from portal.domain import audit, berichten
from portal.domain.fouten import Geweigerd
from portal.extensions import db
from portal.models import ContactVraag, Contract
from portal.models.types import utcnow


def stel_vraag(
    gebruiker,
    *,
    onderwerp: str,
    vraag: str,
    pagina: str | None,
    contract_nummer: str | None,
    relatienummer: str | None,
) -> ContactVraag:
    """Store a question with its context (never a BSN: the form only carries relatienummer);
    the caller commits."""
    contract = None
    if contract_nummer:
        contract = db.session.scalar(select(Contract).where(Contract.nummer == contract_nummer))
    context = {
        k: v
        for k, v in {"pagina": pagina, "contract": contract_nummer, "relatienummer": relatienummer}.items()
        if v
    }
    entry = ContactVraag(
        gebruiker_id=gebruiker.id,
        contract_id=contract.id if contract else None,
        onderwerp=onderwerp.strip(),
        vraag=vraag.strip(),
        context=context,
    )
    db.session.add(entry)
    return entry


class VraagFout(Geweigerd):
    """A question that cannot be answered (unknown, or answered already)."""

    CODE = "vraag_geweigerd"


def open_vragen() -> list[ContactVraag]:
    """Open questions, oldest first (the back office's queue)."""
    return list(
        db.session.scalars(
            select(ContactVraag).where(ContactVraag.status == "open").order_by(ContactVraag.created_at)
        )
    )


def beantwoord(
    vraag_id: int, antwoord: str, *, wie: audit.Wie | None = None, toegang: audit.Toegang = audit.CLI
) -> ContactVraag:
    """Store the back office's answer (from the CLI by default); the user sees it at Contact
    and gets a bericht. The caller commits."""
    vraag = db.session.get(ContactVraag, vraag_id)
    if vraag is None:
        raise VraagFout(f"Geen vraag met nummer {vraag_id}.")
    if vraag.status == "beantwoord":
        raise VraagFout(f"Vraag {vraag_id} is al beantwoord.")
    antwoord = (antwoord or "").strip()
    if not antwoord:
        raise VraagFout("Het antwoord is leeg.")
    vraag.antwoord = antwoord
    vraag.status = "beantwoord"
    vraag.beantwoord_op = utcnow()
    berichten.contactvraag_beantwoord(vraag)
    audit.record(
        "contactvraag_beantwoord", "update", wie=wie, toegang=toegang, details={"contactvraag": vraag.id}
    )
    return vraag
