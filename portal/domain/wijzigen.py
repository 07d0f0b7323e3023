"""Wijzigen: correcting the BSN, geboortedatum, ingangsdatum or einddatum of a deelnemer.

Payroll software sends a wijziging when one of these four changes in its own administration
(the AFAS manual: a change in BSN, geboortedatum, begin- or einddatum instantie is sent again);
other fields (name, address) are not part of the coupling. The rules reuse those of aanmelden
and afmelden, so an ingangsdatum or einddatum is held to the same window either way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from portal.domain import aanmelden, afmelden, berichten
from portal.domain.dates import STANDAARD_VENSTERS, Venster, Vensters, dd_mm_jjjj
from portal.domain.fouten import Afgekeurd, Fout
from portal.domain.validation import controleer_bsn, lees_datum
from portal.extensions import db
from portal.models import Deelname, Melding, Persoon
from portal.models.types import utcnow

WIJZIGBAAR = ("bsn", "geboortedatum", "ingangsdatum", "einddatum")


@dataclass
class Wijziging:
    deelname: Deelname
    gewijzigd: dict[str, tuple[str, str]] = field(default_factory=dict)  # veld: (oud, nieuw)


def deelname_van(persoon: Persoon, contract_id: int) -> Deelname | None:
    """The deelname a wijziging is about: the open one, else the one that began last."""
    return db.session.scalars(
        select(Deelname)
        .where(Deelname.persoon_id == persoon.id, Deelname.contract_id == contract_id)
        .order_by(Deelname.einddatum.is_not(None), Deelname.ingangsdatum.desc())
    ).first()


def controleer(
    deelname: Deelname, nieuw: dict[str, str], vandaag: date, vensters: Vensters = STANDAARD_VENSTERS
) -> list[Fout]:
    """Every rule the new values break; ``nieuw`` holds the fields to change as sent (strings)."""
    nieuw = {k: v for k, v in nieuw.items() if k in WIJZIGBAAR and v}
    if not nieuw:
        return [
            Fout(
                "wijziging_leeg",
                "Geef in de wijziging minstens één nieuwe waarde op: bsn, "
                "geboortedatum, ingangsdatum of einddatum.",
                "wijziging",
            )
        ]
    fouten: list[Fout] = []
    if "bsn" in nieuw:
        fouten += _controleer_bsn(deelname.persoon, nieuw["bsn"])
    ingang = deelname.ingangsdatum
    if "ingangsdatum" in nieuw:
        eigen = _controleer_ingangsdatum(deelname, nieuw["ingangsdatum"], vandaag, vensters.aanmelding)
        fouten += eigen
        if not eigen:
            begin = lees_datum(nieuw["ingangsdatum"])
            assert begin is not None  # _controleer_ingangsdatum refuses anything but a date
            ingang = begin
    if "geboortedatum" in nieuw:
        fouten += _controleer_geboortedatum(nieuw["geboortedatum"], ingang, vandaag)
    if "einddatum" in nieuw:
        fouten += _controleer_einddatum(deelname, nieuw["einddatum"], ingang, vandaag, vensters.afmelding)
    return fouten


def _controleer_bsn(persoon: Persoon, bsn: str) -> list[Fout]:
    fouten = controleer_bsn(bsn, "wijziging.bsn")
    if fouten:
        return fouten
    ander = db.session.scalar(select(Persoon.id).where(Persoon.bsn == bsn, Persoon.id != persoon.id))
    if ander is not None:
        return [
            Fout(
                "bsn_hoort_bij_ander",
                "Het nieuwe BSN hoort bij een andere persoon. Controleer het BSN.",
                "wijziging.bsn",
            )
        ]
    return []


def _controleer_geboortedatum(waarde: str, ingang: date, vandaag: date) -> list[Fout]:
    geboren = lees_datum(waarde)
    if geboren is None or geboren < aanmelden.VROEGSTE_GEBOORTEDATUM:
        return [
            Fout(
                "datum_ongeldig",
                "Vul de nieuwe geboortedatum in als een bestaande datum, bijvoorbeeld 1967-02-14.",
                "wijziging.geboortedatum",
            )
        ]
    if geboren > vandaag:
        return [
            Fout(
                "geboortedatum_in_toekomst",
                "De geboortedatum kan niet na vandaag liggen.",
                "wijziging.geboortedatum",
            )
        ]
    if geboren > ingang:
        return [
            Fout(
                "ingangsdatum_voor_geboorte",
                f"De deelname begint op {dd_mm_jjjj(ingang)}, vóór "
                "deze geboortedatum. Wijzig ook de ingangsdatum.",
                "wijziging.geboortedatum",
            )
        ]
    return []


def _controleer_ingangsdatum(deelname: Deelname, waarde: str, vandaag: date, venster: Venster) -> list[Fout]:
    fouten = [
        Fout(f.code, f.bericht, "wijziging.ingangsdatum")
        for f in aanmelden.controleer_ingangsdatum(waarde, deelname.contract, vandaag, venster)
    ]
    if fouten:
        return fouten
    begin = lees_datum(waarde)
    assert begin is not None  # controleer_ingangsdatum refuses anything but a date
    if deelname.einddatum is not None and begin > deelname.einddatum:
        return [
            Fout(
                "einddatum_voor_ingangsdatum",
                f"De deelname eindigt op "
                f"{dd_mm_jjjj(deelname.einddatum)}; de ingangsdatum kan niet later liggen.",
                "wijziging.ingangsdatum",
            )
        ]
    hoofd = deelname.hoofd_deelname
    if hoofd is not None and begin < hoofd.ingangsdatum:
        return [
            Fout(
                "ingangsdatum_voor_hoofd",
                f"De deelname van de hoofdverzekerde begint op "
                f"{dd_mm_jjjj(hoofd.ingangsdatum)}. Kies die datum of later.",
                "wijziging.ingangsdatum",
            )
        ]
    eerder_lid = db.session.scalar(
        select(Deelname.ingangsdatum)
        .where(Deelname.hoofd_deelname_id == deelname.id, Deelname.ingangsdatum < begin)
        .limit(1)
    )
    if eerder_lid is not None:
        return [
            Fout(
                "ingangsdatum_na_gezinslid",
                f"Een gezinslid is al deelnemer vanaf "
                f"{dd_mm_jjjj(eerder_lid)}. Kies een ingangsdatum op of vóór die datum.",
                "wijziging.ingangsdatum",
            )
        ]
    return _overlap(deelname, begin, deelname.einddatum, "wijziging.ingangsdatum")


def _controleer_einddatum(
    deelname: Deelname, waarde: str, ingang: date, vandaag: date, venster: Venster
) -> list[Fout]:
    if deelname.einddatum is None:
        return [
            Fout(
                "geen_beeindigde_deelname",
                "Deze deelname loopt nog. Stuur een afmelding om een einddatum vast te leggen.",
                "wijziging.einddatum",
            )
        ]
    einde = lees_datum(waarde)
    fouten = afmelden.controleer_einddatum(
        ingang, einde, deelname.reden_einde, vandaag, venster, veld="wijziging.einddatum"
    )
    return fouten or _overlap(deelname, ingang, einde, "wijziging.einddatum")


def _overlap(deelname: Deelname, begin: date, einde: date | None, veld: str) -> list[Fout]:
    """Another deelname of the same person in the contract may not share a day with this one."""
    andere = select(Deelname).where(
        Deelname.persoon_id == deelname.persoon_id,
        Deelname.contract_id == deelname.contract_id,
        Deelname.id != deelname.id,
        (Deelname.einddatum.is_(None)) | (Deelname.einddatum >= begin),
    )
    if einde is not None:
        andere = andere.where(Deelname.ingangsdatum <= einde)
    botsing = db.session.scalars(andere.limit(1)).first()
    if botsing is None:
        return []
    tot = f" tot en met {dd_mm_jjjj(botsing.einddatum)}" if botsing.einddatum else ""
    return [
        Fout(
            "deelname_overlapt",
            f"Er is al een deelname vanaf {dd_mm_jjjj(botsing.ingangsdatum)}"
            f"{tot}; de perioden mogen niet overlappen.",
            veld,
        )
    ]


def wijzig(
    deelname: Deelname,
    nieuw: dict[str, str],
    *,
    vandaag: date,
    melding: Melding,
    vensters: Vensters = STANDAARD_VENSTERS,
) -> Wijziging:
    """Apply the wijziging or raise ``Afgekeurd`` (nothing changed). The caller commits."""
    fouten = controleer(deelname, nieuw, vandaag, vensters)
    if fouten:
        raise Afgekeurd(fouten)
    uitkomst = Wijziging(deelname=deelname)
    persoon = deelname.persoon
    for veld, waarde in nieuw.items():
        if veld not in WIJZIGBAAR or not waarde:
            continue
        doel = persoon if veld in ("bsn", "geboortedatum") else deelname
        oud = getattr(doel, veld)
        nieuwe = waarde if veld == "bsn" else lees_datum(waarde)
        if oud != nieuwe:
            setattr(doel, veld, nieuwe)
            # The old and new BSN are not kept in the outcome: it feeds audit records.
            uitkomst.gewijzigd[veld] = ("", "") if veld == "bsn" else (oud.isoformat(), nieuwe.isoformat())  # type: ignore[union-attr]
    now = utcnow()
    melding.contract_id, melding.persoon_id = deelname.contract_id, persoon.id
    melding.status, melding.verwerkt_op = "verwerkt", now
    berichten.wijziging_ontvangen(deelname.contract, persoon)
    return uitkomst
