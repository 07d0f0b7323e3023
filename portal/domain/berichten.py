"""Berichten: every notice to a contract's users is made here, so texts and categories live once."""

from __future__ import annotations

from portal.domain.names import naam_met_aanhef
from portal.extensions import db
from portal.models import Bericht

BEVESTIGING = "Bevestiging"
BORDEREL = "Borderel"
ACCOUNT = "Account"
VERWERKING = "Verwerking"
CONTACT = "Contact"


def _persoon_naam(persoon) -> str:
    return naam_met_aanhef(persoon.geslacht, persoon.voorletters, persoon.voorvoegsel,
                           persoon.achternaam)


def aanmelding_ontvangen(contract, persoon, created_at=None) -> Bericht:
    """'Aanmelding de heer D. Groot voor contract 12345 ontvangen'."""
    return _add(contract, BEVESTIGING,
                f"Aanmelding {_persoon_naam(persoon)} voor contract {contract.nummer} ontvangen",
                persoon, created_at)


def afmelding_ontvangen(contract, persoon, created_at=None) -> Bericht:
    """'Afmelding de heer D. Groot voor contract 12345 ontvangen'."""
    return _add(contract, BEVESTIGING,
                f"Afmelding {_persoon_naam(persoon)} voor contract {contract.nummer} ontvangen",
                persoon, created_at)


def wijziging_ontvangen(contract, persoon, created_at=None) -> Bericht:
    """'Wijziging de heer D. Groot voor contract 12345 ontvangen'."""
    return _add(contract, BEVESTIGING,
                f"Wijziging {_persoon_naam(persoon)} voor contract {contract.nummer} ontvangen",
                persoon, created_at)


def upload_verwerkt(contract, bestandsnaam: str, verwerkt: int, afgekeurd: int) -> Bericht:
    """'Upload meldingen.xlsx verwerkt: 12 verwerkt, 1 afgekeurd'."""
    tekst = f"Upload {bestandsnaam} verwerkt: {verwerkt} verwerkt, {afgekeurd} afgekeurd"
    if afgekeurd:
        tekst += " (zie Mislukte verwerkingen)"
    return _add(contract, VERWERKING, tekst)


def borderel_klaar(contract, maand: str) -> Bericht:
    """'Borderel en factuur van december 2026 voor contract 12345 staan klaar'."""
    return _add(contract, BORDEREL,
                f"Borderel en factuur van {maand} voor contract {contract.nummer} staan klaar")


def _add(contract, categorie: str, tekst: str, persoon=None, created_at=None) -> Bericht:
    bericht = Bericht(contract_id=contract.id, categorie=categorie, tekst=tekst,
                      persoon_id=getattr(persoon, "id", None))
    if created_at is not None:
        bericht.created_at = created_at
    db.session.add(bericht)
    return bericht
