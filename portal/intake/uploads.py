"""Uploads of aan- en afmeldingen: receive the file, check it (dry run), process it.

Both phases run in the background (``portal.tasks``) and keep their progress in the upload's
row, so any worker can show the progress bar and a restarted run picks up where it stopped:
every line is a melding with its own id (``upload:<id>`` / ``regel-<n>``), applied once.

The two loops (``controleer``, ``verwerk``) are edges: a long job, so they commit the progress
and every processed line through ``transaction()`` on their own. The other functions write into
the caller's transaction.
"""

from __future__ import annotations

import gc
import secrets
from dataclasses import asdict
from datetime import timedelta

from sqlalchemy import exists, func, insert, select, update

from portal.domain import audit, berichten, intake
from portal.domain.dates import STANDAARD_VENSTERS, Vensters
from portal.domain.fouten import Fout
from portal.extensions import db
from portal.intake.bestand import lees
from portal.models import Melding, Upload, UploadRegel
from portal.models.types import utcnow
from portal.transaction import transaction

VOORTGANG_ELKE = 25
VASTGELOPEN_NA = timedelta(minutes=5)


def ontvang_bestand(inhoud: bytes, bestandsnaam: str, contract, gebruiker, max_regels: int) -> Upload:
    """Read the file (raises ``OngeldigBestand``, nothing stored) and keep its lines; the
    caller commits."""
    regels = lees(inhoud, bestandsnaam, contract.collectiviteitsnummer, max_regels)
    upload = Upload(
        contract_id=contract.id,
        gebruiker_id=gebruiker.id,
        oorspronkelijke_naam=bestandsnaam[-255:],
        opslag_naam=secrets.token_hex(16),
        status="ontvangen",
        totaal=len(regels),
        voortgang_op=utcnow(),
    )
    db.session.add(upload)
    db.session.flush()
    db.session.execute(
        insert(UploadRegel),
        [
            {
                "upload_id": upload.id,
                "regelnummer": r.regelnummer,
                "gegevens": r.gegevens,
                "leesfouten": [asdict(f) for f in r.leesfouten],
            }
            for r in regels
        ],
    )
    return upload


def afzender(upload: Upload, toegang: audit.Toegang = audit.CLI) -> intake.Afzender:
    """The upload as sender: its contract, on behalf of the user who sent the file."""
    return intake.Afzender(
        kanaal="upload",
        bron=f"upload:{upload.id}",
        contract_ids=frozenset({upload.contract_id}),
        wie=audit.Wie.van(upload.gebruiker),
        toegang=toegang,
        upload_id=upload.id,
    )


def _melding_in(gegevens: dict) -> intake.MeldingIn | None:
    try:
        return intake.MeldingIn.uit_json(gegevens)
    except intake.GeenMelding:
        return None  # an unknown soort: already among the leesfouten


def _regels(upload: Upload, blok: int = 200):
    """The lines in order, loaded a block at a time: every commit expires what the session holds,
    so holding all 10,000 lines would make each commit walk all of them."""
    ids = db.session.scalars(
        select(UploadRegel.id).where(UploadRegel.upload_id == upload.id).order_by(UploadRegel.regelnummer)
    ).all()
    for begin in range(0, len(ids), blok):
        yield from db.session.scalars(
            select(UploadRegel)
            .where(UploadRegel.id.in_(ids[begin : begin + blok]))
            .order_by(UploadRegel.regelnummer)
        ).all()


def _open_regels(upload: Upload, blok: int = 200):
    """The lines without a melding yet, in order, as plain (regelnummer, gegevens, leesfouten)
    tuples: processing commits every line, which would expire ORM lines and reload each one."""
    vanaf = 0
    while True:
        rijen = db.session.execute(
            select(UploadRegel.regelnummer, UploadRegel.gegevens, UploadRegel.leesfouten)
            .where(UploadRegel.upload_id == upload.id, UploadRegel.regelnummer > vanaf, ~_heeft_melding())
            .order_by(UploadRegel.regelnummer)
            .limit(blok)
        ).all()
        if not rijen:
            return
        yield from rijen
        vanaf = rijen[-1].regelnummer


def _heeft_melding():
    """The line's melding exists (it is found by upload and line number, so the melding's own
    commit is all a processed line needs)."""
    return exists().where(
        Melding.upload_id == UploadRegel.upload_id, Melding.regelnummer == UploadRegel.regelnummer
    )


def _voortgang(upload: Upload, gedaan: int) -> None:
    """Save the progress (and what the loop changed since the last time)."""
    with transaction():
        upload.gedaan, upload.voortgang_op = gedaan, utcnow()


def controleer(upload_id: int, vensters: Vensters = STANDAARD_VENSTERS) -> None:
    """The dry run: per line what would happen, nothing changed but the findings. ``vensters``:
    the date windows from the app's settings (the task passes them)."""
    upload = db.session.get(Upload, upload_id)
    if upload is None or upload.status not in ("ontvangen", "controleren"):
        return
    upload.status = "controleren"
    _voortgang(upload, 0)
    van = afzender(upload)
    goed = 0
    for gedaan, regel in enumerate(_regels(upload), start=1):
        m = _melding_in(regel.gegevens)
        fouten = [Fout(**f) for f in regel.leesfouten]
        if m is not None and not any(f.code == "soort_ongeldig" for f in fouten):
            fouten += intake.controleer(m, van, vensters=vensters)
        regel.controle = [asdict(f) for f in fouten]
        goed += not fouten
        if gedaan % VOORTGANG_ELKE == 0:
            _voortgang(upload, gedaan)
    upload.status, upload.goedgekeurd = "gecontroleerd", goed
    _voortgang(upload, upload.totaal)


def _na_controle(upload: Upload, **waarden) -> bool:
    """Leave the 'gecontroleerd' state; one conditional UPDATE, so of two clicks only one counts.
    False when the upload is not (or no longer) checked. The caller commits (before it queues
    the processing: the worker must see the new state)."""
    gezet = db.session.execute(
        update(Upload)
        .where(Upload.id == upload.id, Upload.status == "gecontroleerd")
        .values(**waarden)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(upload)
    return gezet == 1


def start_verwerking(upload: Upload) -> bool:
    """Move a checked upload to processing."""
    return _na_controle(upload, status="verwerken", gedaan=0, voortgang_op=utcnow())


def verwerk(
    upload_id: int, vensters: Vensters = STANDAARD_VENSTERS, toegang: audit.Toegang = audit.CLI
) -> None:
    """Apply every line through the intake pipeline, each committed on its own; resumable.
    ``toegang``: the access point the audit records (the task's)."""
    upload = db.session.get(Upload, upload_id)
    if upload is None or upload.status != "verwerken":
        return
    van = afzender(upload, toegang)
    open_regels = db.session.scalar(
        select(func.count()).where(UploadRegel.upload_id == upload.id, ~_heeft_melding())
    )
    gedaan = upload.totaal - open_regels
    for regelnummer, gegevens, leesfouten in _open_regels(upload):
        m = _melding_in(gegevens)
        if m is not None:
            vooraf = [Fout(**f) for f in leesfouten]
            with transaction():
                intake.ontvang(m, van, regelnummer=regelnummer, vooraf=vooraf, vensters=vensters)
        gedaan += 1
        if gedaan % VOORTGANG_ELKE == 0:
            _voortgang(upload, gedaan)
            # Persons and deelnames refer to each other, so they outlive the line until the cycle
            # collector runs, and every commit would expire them all again.
            gc.collect()
    melding_van_regel = select(Melding.id).where(
        Melding.upload_id == UploadRegel.upload_id, Melding.regelnummer == UploadRegel.regelnummer
    )
    db.session.execute(
        update(UploadRegel)
        .where(UploadRegel.upload_id == upload.id)
        .values(melding_id=melding_van_regel.scalar_subquery())
        .execution_options(synchronize_session=False)
    )
    _tel(upload)
    upload.status, upload.finished_at = "klaar", utcnow()
    berichten.upload_verwerkt(upload.contract, upload.oorspronkelijke_naam, upload.verwerkt, upload.afgekeurd)
    _voortgang(upload, upload.totaal)


def _tel(upload: Upload) -> None:
    tellingen = dict(
        db.session.execute(
            select(Melding.status, func.count())
            .where(Melding.upload_id == upload.id)
            .group_by(Melding.status)
        ).all()
    )
    upload.verwerkt = tellingen.get("verwerkt", 0)
    upload.afgekeurd = upload.totaal - upload.verwerkt


def annuleer(upload: Upload) -> bool:
    """Drop a checked upload without processing it."""
    return _na_controle(upload, status="geannuleerd", finished_at=utcnow())


def zichtbaar(token: str, contract_ids) -> Upload | None:
    """The upload with this token if it belongs to one of ``contract_ids`` (else None: a 404)."""
    upload = db.session.scalar(select(Upload).where(Upload.opslag_naam == token))
    return upload if upload is not None and upload.contract_id in contract_ids else None


def vastgelopen() -> list[Upload]:
    """Uploads whose phase made no progress for a while (a stopped worker): to run again."""
    grens = utcnow() - VASTGELOPEN_NA
    return list(
        db.session.scalars(
            select(Upload).where(
                Upload.status.in_(("ontvangen", "controleren", "verwerken")), Upload.voortgang_op < grens
            )
        )
    )
