"""Berichten: every notice to a contract's users is made here, so texts and categories live once;
and the list a user sees, with what they have read.

A bericht is for everyone with its contract, or (with ``gebruiker_id``) for one user only: the
answer to their question, a change to their account. A bericht counts as read when the user
marked it, marked everything up to a later moment, or it is older than their account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func, or_, select, update

from portal.domain.names import naam_met_aanhef
from portal.domain.pagina import STANDAARD_PER_PAGINA, Pagina, Resultaat
from portal.extensions import db
from portal.models import Bericht, BerichtGelezen, Contract, Gebruiker
from portal.models.types import utcnow

BEVESTIGING = "Bevestiging"
BORDEREL = "Borderel"
ACCOUNT = "Account"
VERWERKING = "Verwerking"
CONTACT = "Contact"
CATEGORIEEN = (BEVESTIGING, VERWERKING, BORDEREL, ACCOUNT, CONTACT)


def _persoon_naam(persoon) -> str:
    return naam_met_aanhef(persoon.geslacht, persoon.voorletters, persoon.voorvoegsel, persoon.achternaam)


def aanmelding_ontvangen(contract, persoon, created_at=None) -> Bericht:
    """'Aanmelding de heer D. Groot voor contract 12345 ontvangen'."""
    return _add(
        contract,
        BEVESTIGING,
        f"Aanmelding {_persoon_naam(persoon)} voor contract {contract.nummer} ontvangen",
        persoon,
        created_at,
    )


def afmelding_ontvangen(contract, persoon, created_at=None) -> Bericht:
    """'Afmelding de heer D. Groot voor contract 12345 ontvangen'."""
    return _add(
        contract,
        BEVESTIGING,
        f"Afmelding {_persoon_naam(persoon)} voor contract {contract.nummer} ontvangen",
        persoon,
        created_at,
    )


def wijziging_ontvangen(contract, persoon, created_at=None) -> Bericht:
    """'Wijziging de heer D. Groot voor contract 12345 ontvangen'."""
    return _add(
        contract,
        BEVESTIGING,
        f"Wijziging {_persoon_naam(persoon)} voor contract {contract.nummer} ontvangen",
        persoon,
        created_at,
    )


def upload_verwerkt(contract, bestandsnaam: str, verwerkt: int, afgekeurd: int) -> Bericht:
    """'Upload meldingen.xlsx verwerkt: 12 verwerkt, 1 afgekeurd'."""
    tekst = f"Upload {bestandsnaam} verwerkt: {verwerkt} verwerkt, {afgekeurd} afgekeurd"
    if afgekeurd:
        tekst += " (zie Mislukte verwerkingen)"
    return _add(contract, VERWERKING, tekst)


def borderel_klaar(contract, maand: str) -> Bericht:
    """'Borderel en factuur van december 2026 voor contract 12345 staan klaar'."""
    return _add(
        contract, BORDEREL, f"Borderel en factuur van {maand} voor contract {contract.nummer} staan klaar"
    )


def contactvraag_beantwoord(vraag) -> Bericht:
    """'Uw vraag "Borderel mei" is beantwoord. U leest het antwoord bij Contact.'"""
    tekst = f'Uw vraag "{_kort(vraag.onderwerp, 200)}" is beantwoord. U leest het antwoord bij Contact.'
    return _add(None, CONTACT, tekst, voor=vraag.gebruiker_id)


def account_gewijzigd(account: Gebruiker, tekst: str, beheerders) -> list[Bericht]:
    """An account change, for the account itself and for each accountbeheerder of its
    organisation (each once), so nobody learns of a change to their rights by surprise."""
    ontvangers = {account.id, *(b.id for b in beheerders)}
    return [_add(None, ACCOUNT, _kort(tekst, 500), voor=gebruiker_id) for gebruiker_id in sorted(ontvangers)]


def account_aangevraagd(aanvraag, beheerders) -> list[Bericht]:
    """'Accountaanvraag van P. Jansen (p.jansen@leiden.nl): zie Accountbeheer'."""
    tekst = _kort(
        f"Accountaanvraag van {aanvraag.naam} ({aanvraag.email}): u keurt die goed of af bij Accountbeheer",
        500,
    )
    return [_add(None, ACCOUNT, tekst, voor=b.id) for b in beheerders]


def _kort(tekst: str, lengte: int) -> str:
    return tekst if len(tekst) <= lengte else tekst[: lengte - 1] + "…"


def _add(
    contract, categorie: str, tekst: str, persoon=None, created_at=None, voor: int | None = None
) -> Bericht:
    bericht = Bericht(
        contract_id=getattr(contract, "id", None),
        categorie=categorie,
        tekst=tekst,
        persoon_id=getattr(persoon, "id", None),
        gebruiker_id=voor,
    )
    if created_at is not None:
        bericht.created_at = created_at
    db.session.add(bericht)
    return bericht


# ---------------------------------------------------------------- the list ----------------

_ONGELEZEN_MAX = 99  # the badge says "99+" above this; counting further helps nobody


@dataclass(frozen=True)
class Rij:
    """One bericht as the list shows it."""

    id: int
    created_at: datetime
    categorie: str
    tekst: str
    contract: str | None
    persoonlijk: bool
    gelezen: bool


def _zichtbaar(gebruiker, contract_ids, contract_id: int | None = None):
    """The berichten ``gebruiker`` may see: their own, and those of their contracts
    (with ``contract_id``: only that contract's, and their own without a contract)."""
    eigen = Bericht.gebruiker_id == gebruiker.id
    if contract_id is None:
        return or_(eigen, and_(Bericht.gebruiker_id.is_(None), Bericht.contract_id.in_(contract_ids)))
    return or_(
        and_(eigen, or_(Bericht.contract_id.is_(None), Bericht.contract_id == contract_id)),
        and_(Bericht.gebruiker_id.is_(None), Bericht.contract_id == contract_id),
    )


def _gelezen_tot(gebruiker) -> datetime:
    return max(t for t in (gebruiker.created_at, gebruiker.berichten_gelezen_tot) if t is not None)


def _gelezen_term(gebruiker):
    gemarkeerd = (
        select(BerichtGelezen.bericht_id)
        .where(BerichtGelezen.bericht_id == Bericht.id, BerichtGelezen.gebruiker_id == gebruiker.id)
        .exists()
    )
    return or_(Bericht.created_at <= _gelezen_tot(gebruiker), gemarkeerd)


def categorieen(gebruiker, contract_ids, contract_id: int | None = None) -> list[str]:
    """The categories that occur in what the user may see, in the usual order."""
    aanwezig = {
        c
        for c in CATEGORIEEN
        if db.session.scalar(
            select(Bericht.id)
            .where(_zichtbaar(gebruiker, contract_ids, contract_id), Bericht.categorie == c)
            .limit(1)
        )
    }
    return [c for c in CATEGORIEEN if c in aanwezig]


def _rijen(gebruiker, *voorwaarden):
    """The list's columns for the berichten that meet ``voorwaarden``."""
    return (
        select(
            Bericht.id,
            Bericht.created_at,
            Bericht.categorie,
            Bericht.tekst,
            Contract.nummer,
            Bericht.gebruiker_id,
            case((_gelezen_term(gebruiker), True), else_=False),
        )
        .outerjoin(Contract, Contract.id == Bericht.contract_id)
        .where(*voorwaarden)
    )


def _als_rij(row) -> Rij:
    return Rij(row[0], row[1], row[2], row[3], row[4], row[5] is not None, bool(row[6]))


def lijst(
    gebruiker,
    contract_ids,
    *,
    contract_id: int | None = None,
    categorie: str = "",
    pagina: int = 1,
    per_pagina: int = STANDAARD_PER_PAGINA,
) -> Resultaat:
    """The page of berichten, newest first."""
    voorwaarden = [_zichtbaar(gebruiker, contract_ids, contract_id)]
    if categorie:
        voorwaarden.append(Bericht.categorie == categorie)
    aantal = db.session.scalar(select(func.count()).select_from(Bericht).where(*voorwaarden)) or 0
    gekozen = Pagina.kies(pagina, per_pagina, aantal)
    rows = db.session.execute(
        _rijen(gebruiker, *voorwaarden)
        .order_by(Bericht.created_at.desc(), Bericht.id.desc())
        .limit(gekozen.per_pagina)
        .offset(gekozen.vanaf)
    ).all()
    return Resultaat.van([_als_rij(r) for r in rows], gekozen)


def ongelezen(gebruiker, contract_ids) -> int:
    """How many berichten the user has not read (at most 100: the badge shows "99+")."""
    vanaf = _gelezen_tot(gebruiker)
    ids = (
        select(Bericht.id)
        .where(_zichtbaar(gebruiker, contract_ids), Bericht.created_at > vanaf, ~_gelezen_term(gebruiker))
        .limit(_ONGELEZEN_MAX + 1)
        .subquery()
    )
    return db.session.scalar(select(func.count()).select_from(ids)) or 0


def vind(gebruiker, contract_ids, bericht_id: int) -> Rij | None:
    """One bericht the user may see, or None (another contract's is as unknown as a missing one)."""
    row = db.session.execute(
        _rijen(gebruiker, Bericht.id == bericht_id, _zichtbaar(gebruiker, contract_ids))
    ).first()
    return _als_rij(row) if row else None


def markeer_gelezen(gebruiker, bericht: Rij) -> None:
    """Mark one (visible) bericht read; marking it twice changes nothing."""
    if not bericht.gelezen:
        db.session.add(BerichtGelezen(bericht_id=bericht.id, gebruiker_id=gebruiker.id))


def markeer_alles_gelezen(gebruiker) -> None:
    """Everything up to now counts as read; the single rows before it are no longer needed."""
    nu = utcnow()
    db.session.execute(update(Gebruiker).where(Gebruiker.id == gebruiker.id).values(berichten_gelezen_tot=nu))
    db.session.execute(
        BerichtGelezen.__table__.delete().where(
            BerichtGelezen.gebruiker_id == gebruiker.id,
            BerichtGelezen.bericht_id.in_(select(Bericht.id).where(Bericht.created_at <= nu)),
        )
    )
