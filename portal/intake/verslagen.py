"""Verwerkingsverslagen: the outcome of each upload and of each day of API meldingen.

One shape for both: a list of ``Verslag`` (the overview) and, per verslag, its ``VerslagRegel``s
(one per line or melding), shown on screen and written to Excel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import case, func, select

from portal.documents.exports import DATUM, Kolom
from portal.domain import intake
from portal.domain.dates import AMSTERDAM
from portal.extensions import db
from portal.models import Contract, Melding, Upload, UploadRegel

SOORT_LABELS = {"aanmelding": "Aanmelding", "afmelding": "Afmelding", "wijziging": "Wijziging"}


@dataclass
class Verslag:
    soort: str  # upload | api
    moment: datetime | date
    contract: Contract
    titel: str
    ontvangen: int
    verwerkt: int
    afgekeurd: int
    status: str = "klaar"
    upload: Upload | None = None


@dataclass
class VerslagRegel:
    kenmerk: str  # regel 12 | the sender's melding_id
    soort: str
    naam: str
    relatienummer: str
    status: str
    fouten: list[dict] = field(default_factory=list)
    ontvangen_op: datetime | None = None

    @property
    def foutcodes(self) -> str:
        return ", ".join(f["code"] for f in self.fouten)

    @property
    def foutmeldingen(self) -> str:
        return " ".join(f["bericht"] for f in self.fouten)


def overzicht(contracten: list[Contract], limiet: int = 100) -> list[Verslag]:
    """Uploads and API days of these contracts, newest first."""
    if not contracten:
        return []
    per_id = {c.id: c for c in contracten}
    verslagen = [
        Verslag(
            "upload",
            u.created_at,
            per_id[u.contract_id],
            u.oorspronkelijke_naam,
            u.totaal,
            u.verwerkt,
            u.afgekeurd,
            u.status,
            u,
        )
        for u in db.session.scalars(
            select(Upload)
            .where(Upload.contract_id.in_(per_id))
            .order_by(Upload.created_at.desc())
            .limit(limiet)
        )
    ]
    dagen = db.session.execute(
        select(
            Melding.contract_id,
            Melding.ontvangen_dag,
            func.count(),
            func.sum(case((Melding.status == "verwerkt", 1), else_=0)),
        )
        .where(Melding.contract_id.in_(per_id), Melding.kanaal == "api")
        .group_by(Melding.contract_id, Melding.ontvangen_dag)
        .order_by(Melding.ontvangen_dag.desc())
        .limit(limiet)
    )
    for contract_id, dag, aantal, verwerkt in dagen:
        verslagen.append(
            Verslag(
                "api",
                dag,
                per_id[contract_id],
                "Digitale meldingen (koppeling)",
                aantal,
                verwerkt or 0,
                aantal - (verwerkt or 0),
            )
        )
    verslagen.sort(key=_dag, reverse=True)
    return verslagen[:limiet]


def _dag(verslag: Verslag) -> date:
    if isinstance(verslag.moment, datetime):
        return verslag.moment.astimezone(AMSTERDAM).date()
    return verslag.moment


def _relatienummer(melding: Melding | None) -> str:
    return ((melding.antwoord or {}).get("relatienummer") or "") if melding else ""


def upload_regels(upload: Upload) -> list[VerslagRegel]:
    rijen = db.session.execute(
        select(UploadRegel, Melding)
        .outerjoin(Melding, Melding.id == UploadRegel.melding_id)
        .where(UploadRegel.upload_id == upload.id)
        .order_by(UploadRegel.regelnummer)
    )
    regels = []
    for regel, melding in rijen:
        if melding is not None:
            status, fouten = melding.status, melding.fouten or []
        elif upload.status == "klaar":
            status, fouten = "afgekeurd", regel.leesfouten
        else:
            status, fouten = "niet verwerkt", regel.controle or regel.leesfouten
        regels.append(
            VerslagRegel(
                f"regel {regel.regelnummer}",
                regel.gegevens.get("soort", ""),
                intake.naam_van(regel.gegevens),
                _relatienummer(melding),
                status,
                fouten,
                melding.ontvangen_op if melding else None,
            )
        )
    return regels


def api_regels(contract: Contract, dag: date) -> list[VerslagRegel]:
    meldingen = db.session.scalars(
        select(Melding)
        .where(Melding.contract_id == contract.id, Melding.kanaal == "api", Melding.ontvangen_dag == dag)
        .order_by(Melding.ontvangen_op, Melding.id)
    )
    return [
        VerslagRegel(
            m.extern_id,
            m.soort,
            intake.naam_van(m.gegevens),
            _relatienummer(m),
            m.status,
            m.fouten or [],
            m.ontvangen_op,
        )
        for m in meldingen
    ]


KOLOMMEN = [
    Kolom("Regel of melding-ID", 22),
    Kolom("Ontvangen", 12, DATUM),
    Kolom("Soort", 12),
    Kolom("Naam", 28),
    Kolom("Relatienummer", 14),
    Kolom("Status", 12),
    Kolom("Foutcode", 26),
    Kolom("Foutmelding", 80),
]


def export_rijen(regels: list[VerslagRegel]):
    for r in regels:
        ontvangen = r.ontvangen_op.astimezone(AMSTERDAM).replace(tzinfo=None) if r.ontvangen_op else None
        yield (
            r.kenmerk,
            ontvangen,
            SOORT_LABELS.get(r.soort, r.soort),
            r.naam,
            r.relatienummer,
            r.status,
            r.foutcodes,
            r.foutmeldingen,
        )
