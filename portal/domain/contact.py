"""Contact questions: storing them and answering them (back office)."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.models import ContactVraag, Contract


def stel_vraag(gebruiker, *, onderwerp: str, vraag: str, pagina: str | None,
               contract_nummer: str | None, relatienummer: str | None) -> ContactVraag:
    """Store a question with its context (never a BSN: the form only carries relatienummer)."""
    contract = None
    if contract_nummer:
        contract = db.session.scalar(select(Contract).where(Contract.nummer == contract_nummer))
    context = {k: v for k, v in
               {"pagina": pagina, "contract": contract_nummer, "relatienummer": relatienummer}.items()
               if v}
    entry = ContactVraag(
        gebruiker_id=gebruiker.id,
        contract_id=contract.id if contract else None,
        onderwerp=onderwerp.strip(),
        vraag=vraag.strip(),
        context=context,
    )
    db.session.add(entry)
    db.session.commit()
    return entry
