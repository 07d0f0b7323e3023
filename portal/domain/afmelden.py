"""Afmelden: ending a deelname, with the rules the form, uploads and the API share.

The two reasons differ as they do in law:

* **Einde collectiviteit** ends the deelname in the collectivity, not the insurance: the polis
  continues individually, without the collective discount after the einddatum (the discount
  follows the deelname period). For a hoofdverzekerde the gezinsleden end with it unless the
  user keeps them.
* **Overleden** ends only that person; the einddatum is the date of death (the deelname runs
  t/m that day, the insurance ends by law from the next day), so the polis ends too. A partner
  becomes hoofdverzekerde of the remaining gezinsleden; nobody else is ended automatically.

Nothing is deleted: an afmelding is undone only by a new aanmelding.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from sqlalchemy import CursorResult, select, update

from portal.domain import berichten
from portal.domain.dates import Venster, dd_mm_jjjj
from portal.domain.fouten import Afgekeurd, Fout
from portal.extensions import db
from portal.models import Deelname, Melding, Polis
from portal.models.types import utcnow

EINDE_COLLECTIVITEIT = "einde_collectiviteit"
OVERLEDEN = "overleden"
REDENEN = {EINDE_COLLECTIVITEIT: "Einde collectiviteit", OVERLEDEN: "Overleden"}


@dataclass
class Afmelding:
    """What an afmelding changed, for the confirmation and the audit record."""

    deelname: Deelname
    einddatum: date
    reden: str
    beeindigd: list[Deelname] = field(default_factory=list)
    nieuwe_hoofd: Deelname | None = None
    zonder_hoofd: list[Deelname] = field(default_factory=list)
    polis_loopt_door: bool = False
    polis_beeindigd: bool = False


def gezinsleden(hoofd: Deelname) -> list[Deelname]:
    """The gezinsleden whose deelname hangs under this one and has not been afgemeld."""
    return list(
        db.session.scalars(
            select(Deelname)
            .where(Deelname.hoofd_deelname_id == hoofd.id, Deelname.einddatum.is_(None))
            .order_by(Deelname.rol.desc(), Deelname.id)
        )
    )


def controleer(
    deelname: Deelname,
    einddatum: date | None,
    reden: str | None,
    vandaag: date,
    venster: Venster | None = None,
) -> list[Fout]:
    """Every rule an afmelding of this deelname breaks (empty: it may go ahead)."""
    fouten = []
    if deelname.einddatum is not None:
        fouten.append(
            Fout(
                "geen_actieve_deelname",
                f"{deelname.persoon.volledige_naam} is al afgemeld per "
                f"{dd_mm_jjjj(deelname.einddatum)}. Een afmelding heeft een lopende "
                "deelname nodig.",
            )
        )
        return fouten
    if reden not in REDENEN:
        fouten.append(Fout("reden_ongeldig", "Kies een reden: Einde collectiviteit of Overleden.", "reden"))
    return fouten + controleer_einddatum(deelname.ingangsdatum, einddatum, reden, vandaag, venster)


def controleer_einddatum(
    ingangsdatum: date,
    einddatum: date | None,
    reden: str | None,
    vandaag: date,
    venster: Venster | None = None,
    veld: str = "einddatum",
) -> list[Fout]:
    """The einddatum of a deelname that began on ``ingangsdatum``: an afmelding and a wijziging
    of the einddatum share these rules."""
    venster = venster or Venster()
    if einddatum is None:
        return [
            Fout("einddatum_ongeldig", "Vul de einddatum in als dd-mm-jjjj, bijvoorbeeld 31-12-2026.", veld)
        ]
    if einddatum < ingangsdatum:
        return [
            Fout(
                "einddatum_voor_ingangsdatum",
                f"De einddatum ligt vóór de ingangsdatum {dd_mm_jjjj(ingangsdatum)}. "
                f"Kies {dd_mm_jjjj(ingangsdatum)} of later.",
                veld,
            )
        ]
    if reden == OVERLEDEN:
        if einddatum > vandaag:
            return [
                Fout(
                    "overlijdensdatum_in_toekomst",
                    "Bij Overleden is de einddatum de overlijdensdatum; die kan niet "
                    f"na vandaag ({dd_mm_jjjj(vandaag)}) liggen.",
                    veld,
                )
            ]
        return []
    vroegst, laatst = venster.vroegst(vandaag), venster.laatst(vandaag)
    if einddatum < vroegst:
        return [
            Fout(
                "einddatum_te_ver_terug",
                f"De einddatum mag hoogstens {venster.dagen_terug} dagen terug "
                f"liggen. De vroegst mogelijke einddatum is {dd_mm_jjjj(vroegst)}.",
                veld,
            )
        ]
    if einddatum > laatst:
        return [
            Fout(
                "einddatum_te_ver_vooruit",
                f"De einddatum mag hoogstens {venster.dagen_vooruit} dagen vooruit "
                f"liggen. De laatst mogelijke einddatum is {dd_mm_jjjj(laatst)}.",
                veld,
            )
        ]
    return []


def afmelden(
    deelname: Deelname,
    einddatum: date | None,
    reden: str | None,
    *,
    vandaag: date,
    bron: str,
    kanaal: str = "portal",
    behouden: set[int] | frozenset[int] = frozenset(),
    venster: Venster | None = None,
    melding: Melding | None = None,
) -> Afmelding:
    """End the deelname (and, for einde collectiviteit of a hoofdverzekerde, the gezinsleden
    not in ``behouden``, a set of deelname ids). Raises ``Afgekeurd`` and changes nothing when
    a rule refuses it: its writes are in a savepoint, so a refusal found while writing (another
    afmelding ended the deelname first) undoes them and nothing else. The caller commits.
    ``melding``, when the intake already holds the received one, records the afmelding of
    ``deelname`` instead of a new row.
    """
    fouten = controleer(deelname, einddatum, reden, vandaag, venster)
    leden = gezinsleden(deelname) if deelname.rol == "hoofdverzekerde" else []
    mee = [lid for lid in leden if reden == EINDE_COLLECTIVITEIT and lid.id not in behouden]
    blijven = [lid for lid in leden if lid not in mee]
    if not fouten:
        assert einddatum is not None  # controleer refuses a missing einddatum
        for lid in mee:
            if einddatum < lid.ingangsdatum:
                fouten.append(
                    Fout(
                        "einddatum_voor_ingangsdatum",
                        f"De deelname van {lid.persoon.volledige_naam} begint pas op "
                        f"{dd_mm_jjjj(lid.ingangsdatum)}. Behoud deze deelnemer of kies een "
                        "latere einddatum.",
                        "einddatum",
                    )
                )
    if fouten:
        raise Afgekeurd(fouten)
    # controleer refuses a missing einddatum or reden.
    assert einddatum is not None and reden is not None

    uitkomst = Afmelding(deelname=deelname, einddatum=einddatum, reden=reden)
    with db.session.begin_nested():
        for beeindigen in [deelname, *mee]:
            _beeindig(beeindigen, einddatum, reden)
            uitkomst.beeindigd.append(beeindigen)
        if blijven:
            uitkomst.nieuwe_hoofd, uitkomst.zonder_hoofd = _herschik_gezin(blijven)
        heeft_polis = _lopende_polissen(deelname.persoon_id)
        if reden == OVERLEDEN:
            _beeindig_polissen(heeft_polis, einddatum)
            uitkomst.polis_beeindigd = bool(heeft_polis)
        else:
            uitkomst.polis_loopt_door = bool(heeft_polis)
        for beeindigd in uitkomst.beeindigd:
            _melding(beeindigd, einddatum, reden, bron, kanaal, melding)
            melding = None
            berichten.afmelding_ontvangen(beeindigd.contract, beeindigd.persoon)
    return uitkomst


def _beeindig(deelname: Deelname, einddatum: date, reden: str) -> None:
    """One conditional UPDATE: of two simultaneous afmeldingen only one finds the deelname open
    (the other raises, and ``afmelden``'s savepoint undoes what it wrote before)."""
    result = cast(
        "CursorResult[Any]",
        db.session.execute(
            update(Deelname)
            .where(Deelname.id == deelname.id, Deelname.einddatum.is_(None))
            .values(einddatum=einddatum, reden_einde=reden)
            .execution_options(synchronize_session=False)
        ),
    )
    if result.rowcount != 1:
        raise Afgekeurd(
            [Fout("geen_actieve_deelname", f"{deelname.persoon.volledige_naam} is intussen al afgemeld.")]
        )
    db.session.refresh(deelname)


def _herschik_gezin(blijven: list[Deelname]) -> tuple[Deelname | None, list[Deelname]]:
    """The remaining gezinsleden: a partner becomes hoofdverzekerde of the others; without a
    partner each child stays on its own (and the confirmation says so)."""
    partner = next((lid for lid in blijven if lid.rol == "partner"), None)
    if partner is not None:
        partner.rol = "hoofdverzekerde"
        partner.hoofd_deelname_id = None
        for lid in blijven:
            if lid is not partner:
                lid.hoofd_deelname_id = partner.id
        return partner, []
    for lid in blijven:
        lid.hoofd_deelname_id = None
    return None, blijven


def _lopende_polissen(persoon_id: int) -> list[Polis]:
    return list(
        db.session.scalars(select(Polis).where(Polis.persoon_id == persoon_id, Polis.einddatum.is_(None)))
    )


def _beeindig_polissen(polissen: list[Polis], overlijdensdatum: date) -> None:
    for polis in polissen:
        if polis.ingangsdatum > overlijdensdatum:
            continue
        polis.einddatum = overlijdensdatum
        for product in polis.producten:
            if product.einddatum is None and product.ingangsdatum <= overlijdensdatum:
                product.einddatum = overlijdensdatum


def _melding(
    deelname: Deelname, einddatum: date, reden: str, bron: str, kanaal: str, melding: Melding | None = None
) -> Melding:
    now = utcnow()
    if melding is None:
        melding = Melding(
            bron=bron,
            kanaal=kanaal,
            extern_id=uuid.uuid4().hex,
            soort="afmelding",
            ontvangen_op=now,
            gegevens={
                "relatienummer": deelname.persoon.relatienummer,
                "einddatum": einddatum.isoformat(),
                "reden": reden,
            },
        )
        db.session.add(melding)
    melding.contract_id, melding.persoon_id = deelname.contract_id, deelname.persoon_id
    melding.status, melding.verwerkt_op = "verwerkt", now
    return melding
