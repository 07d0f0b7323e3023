"""The intake pipeline: parse → validate → apply → result, for every channel.

A melding (aanmelding, afmelding or wijziging) arrives from the API, a line of an uploaded file
or a correction on Mislukte verwerkingen. Each channel turns its input into a ``MeldingIn`` (the
API's JSON shape) and calls ``ontvang``; the rules are those of ``aanmelden``, ``afmelden`` and
``wijzigen``, plus the ones a digital melding adds: the collectiviteitsnummer must exist and
belong to the sender, the KvK-nummer must match it, and nothing is accepted before the
contract's "aanleveren vanaf" date.

A melding is stored once per sender and id (a unique index): a re-send finds the first result
and changes nothing. Each melding is written in a savepoint of the caller's transaction, which
the caller (the API view, the upload loop, a correction) commits. A concurrent twin fails on
the index when it writes its melding (PostgreSQL makes it wait until the first one commits;
on SQLite the write lock does), the savepoint undoes everything it applied, and it then finds
the first result too. Nothing here commits or rolls back the caller's work.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import joinedload

from portal.domain import aanmelden, afmelden, audit, wijzigen
from portal.domain.aanmelden import HOOFD, Huishouden, PersoonGegevens
from portal.domain.dates import AMSTERDAM, STANDAARD_VENSTERS, Vensters, dd_mm_jjjj
from portal.domain.dates import vandaag as vandaag_nl
from portal.domain.fouten import Afgekeurd, Fout, Geweigerd
from portal.domain.validation import controleer_bsn, is_valid_kvk, lees_datum
from portal.extensions import db
from portal.models import Contract, Deelname, Melding, Persoon
from portal.models.types import utcnow

SOORTEN = ("aanmelding", "afmelding", "wijziging")
PERSOON_VELDEN = (
    "bsn",
    "voorletters",
    "voorvoegsel",
    "achternaam",
    "geslacht",
    "geboortedatum",
    "nationaliteit",
    "email",
    "telefoon",
)
ADRES_VELDEN = ("straat", "huisnummer", "huisnummer_toevoeging", "postcode", "woonplaats")
MELDING_VELDEN = ("kvk_nummer", "collectiviteitsnummer", "ingangsdatum", "einddatum", "reden")
MAX_ID = 100
# Ids travel in URLs (GET /meldingen/<id>); "batch" names the batch endpoint.
MELDING_ID = re.compile(r"^(?!batch$)[A-Za-z0-9._:-]{1,%d}$" % MAX_ID)
MAX_TEKST = 300
# Control characters and lone surrogates (a JSON "\ud800") are no text anyone types: PostgreSQL
# refuses a NUL byte and no database driver can encode a surrogate, so they stop at the door.
_ONGELDIG_TEKEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


class GeenMelding(Geweigerd):
    """The input is not a melding at all (wrong shape or types): nothing is stored."""

    CODE = "geen_melding"


class NietBevoegd(Exception):  # the domain's word
    """The sender may not send for this collectiviteit; nothing is stored (API: 403)."""


@dataclass
class MeldingIn:
    """One melding as sent: strings only, checked by the pipeline."""

    melding_id: str
    soort: str
    kvk_nummer: str = ""
    collectiviteitsnummer: str = ""
    persoon: PersoonGegevens = field(default_factory=PersoonGegevens)
    ingangsdatum: str = ""
    einddatum: str = ""
    reden: str = ""
    wijziging: dict[str, str] = field(default_factory=dict)

    @classmethod
    def uit_json(cls, data) -> MeldingIn:
        """From the API's JSON (also what uploads and corrections build); raises ``GeenMelding``."""
        if not isinstance(data, dict):
            raise GeenMelding("Een melding is een JSON-object.")
        melding_id = data.get("melding_id")
        if not isinstance(melding_id, str) or not MELDING_ID.match(melding_id):
            raise GeenMelding(
                f"melding_id is verplicht: 1 tot {MAX_ID} letters, cijfers of . _ : -", "melding_id"
            )
        soort = data.get("soort")
        if soort not in SOORTEN:
            raise GeenMelding("soort is aanmelding, afmelding of wijziging.", "soort")
        persoon = _object(data, "persoon", "persoon")
        adres = _object(persoon, "adres", "persoon.adres")
        wijziging = _object(data, "wijziging", "wijziging")
        velden = {naam: _tekst(persoon, naam, f"persoon.{naam}") for naam in PERSOON_VELDEN}
        velden.update({naam: _tekst(adres, naam, f"persoon.adres.{naam}") for naam in ADRES_VELDEN})
        return cls(
            melding_id=melding_id,
            soort=soort,
            persoon=PersoonGegevens.uit({**velden, "rol": HOOFD}),
            wijziging={naam: _tekst(wijziging, naam, f"wijziging.{naam}") for naam in wijzigen.WIJZIGBAAR},
            **{naam: _tekst(data, naam, naam) for naam in MELDING_VELDEN},
        )

    def als_json(self) -> dict:
        """The canonical JSON shape, without empty fields (stored, hashed, shown for correction)."""
        persoon = {k: getattr(self.persoon, k) for k in PERSOON_VELDEN if getattr(self.persoon, k)}
        adres = {k: getattr(self.persoon, k) for k in ADRES_VELDEN if getattr(self.persoon, k)}
        if adres:
            persoon["adres"] = adres
        data: dict[str, Any] = {"melding_id": self.melding_id, "soort": self.soort}
        data.update({k: getattr(self, k) for k in MELDING_VELDEN if getattr(self, k)})
        if persoon:
            data["persoon"] = persoon
        wijziging = {k: v for k, v in self.wijziging.items() if v}
        if wijziging:
            data["wijziging"] = wijziging
        return data

    def vingerafdruk(self) -> str:
        """Equal for the same content, whatever the key order or whitespace it was sent with."""
        return hashlib.sha256(json.dumps(self.als_json(), sort_keys=True).encode()).hexdigest()


def zet(gegevens: dict, pad: str, waarde: str) -> None:
    """Put ``waarde`` at ``pad`` ('persoon.adres.postcode') in a melding's JSON."""
    *ouders, naam = pad.split(".")
    for ouder in ouders:
        gegevens = gegevens.setdefault(ouder, {})
    gegevens[naam] = waarde


def waarde_op(gegevens: dict, pad: str) -> str:
    """The value at ``pad`` in a melding's JSON, or ''."""
    waarde: Any = gegevens
    for deel in pad.split("."):
        waarde = waarde.get(deel) if isinstance(waarde, dict) else None
    return waarde or ""


def naam_van(gegevens: dict) -> str:
    """The person's name as a melding gives it ('K. van Dijk'), for lists and reports."""
    persoon = gegevens.get("persoon") or {}
    return " ".join(
        x for x in (persoon.get("voorletters"), persoon.get("voorvoegsel"), persoon.get("achternaam")) if x
    )


def _object(data: dict, naam: str, pad: str) -> dict:
    waarde = data.get(naam)
    if waarde is None:
        return {}
    if not isinstance(waarde, dict):
        raise GeenMelding(f"{pad} is een JSON-object.", pad)
    return waarde


def _tekst(data: dict, naam: str, pad: str) -> str:
    waarde = data.get(naam)
    if waarde is None:
        return ""
    if not isinstance(waarde, str):
        raise GeenMelding(f"{pad} is tekst (een JSON-string).", pad)
    if len(waarde) > MAX_TEKST:
        raise GeenMelding(f"{pad} is hoogstens {MAX_TEKST} tekens.", pad)
    if _ONGELDIG_TEKEN.search(waarde):
        raise GeenMelding(f"{pad} bevat een teken dat geen tekst is (een stuurteken).", pad)
    return waarde.strip()


@dataclass(frozen=True)
class Afzender:
    """Who sends: the channel, the sender's key for idempotency, and what it may send for.

    ``organisatie_id`` (API credentials) limits the contracts to that employer's; ``contract_ids``
    (a portal user) to the user's contracts.
    """

    kanaal: str  # api | upload | correctie
    bron: str  # api:<credential id> | upload:<upload id> | correctie:<melding id>
    organisatie_id: int | None = None
    contract_ids: frozenset[int] | None = None
    upload_id: int | None = None
    # Who acts and through which access point, for the audit record (the edge knows them).
    wie: audit.Wie | None = None
    toegang: audit.Toegang = audit.CLI


@dataclass
class Ontvangst:
    """What ``ontvang`` did: ``nieuw`` False for a re-send (the first result, nothing changed);
    ``conflict`` when the re-used id came with other content. ``status`` and ``antwoord`` are
    taken before the caller's commit, which expires the melding (reading them again would be a
    query)."""

    melding: Melding
    status: str
    antwoord: dict | None
    nieuw: bool = True
    conflict: bool = False


# -- validate -------------------------------------------------------------------------------------


def _contract(m: MeldingIn, afzender: Afzender) -> tuple[Contract | None, list[Fout]]:
    if not m.collectiviteitsnummer:
        return None, [Fout("veld_verplicht", "Vul het collectiviteitsnummer in.", "collectiviteitsnummer")]
    # With its organisatie in the same query: the KvK-nummer check below needs it.
    contract = db.session.scalar(
        select(Contract)
        .options(joinedload(Contract.organisatie))
        .where(Contract.collectiviteitsnummer == m.collectiviteitsnummer)
    )
    if contract is None:
        return None, [
            Fout(
                "collectiviteit_onbekend",
                "Dit collectiviteitsnummer kennen wij niet. Controleer het nummer bij uw contract.",
                "collectiviteitsnummer",
            )
        ]
    if afzender.organisatie_id is not None and contract.organisatie_id != afzender.organisatie_id:
        raise NietBevoegd(contract.nummer)
    if afzender.contract_ids is not None and contract.id not in afzender.contract_ids:
        return None, [
            Fout(
                "afzender_niet_bevoegd",
                "U kunt geen meldingen doen voor dit collectiviteitsnummer.",
                "collectiviteitsnummer",
            )
        ]
    fouten = []
    if not m.kvk_nummer:
        if afzender.kanaal == "api":
            fouten.append(Fout("veld_verplicht", "Vul het KvK-nummer in.", "kvk_nummer"))
    elif not is_valid_kvk(m.kvk_nummer):
        fouten.append(Fout("kvk_ongeldig", "Een KvK-nummer heeft 8 cijfers.", "kvk_nummer"))
    elif m.kvk_nummer != contract.organisatie.kvk_nummer:
        fouten.append(
            Fout(
                "kvk_hoort_niet_bij_collectiviteit",
                "Dit KvK-nummer hoort niet bij het "
                "collectiviteitsnummer. Controleer het KvK-nummer van de werkgever.",
                "kvk_nummer",
            )
        )
    return contract, fouten


def _aanleveren_vanaf(contract: Contract, datum: date | None, veld: str) -> list[Fout]:
    if contract.aanleveren_vanaf is None or datum is None or datum >= contract.aanleveren_vanaf:
        return []
    return [
        Fout(
            "voor_aanleveren_vanaf",
            "Voor dit contract worden meldingen aangenomen vanaf "
            f"{dd_mm_jjjj(contract.aanleveren_vanaf)}. Kies die datum of later.",
            veld,
        )
    ]


def _persoon_pad(veld: str | None) -> str | None:
    """The wizard's paths (hoofd.postcode) as the API names them (persoon.adres.postcode)."""
    if not veld or not veld.startswith("hoofd."):
        return veld
    naam = veld.split(".", 1)[1]
    return f"persoon.adres.{naam}" if naam in ADRES_VELDEN else f"persoon.{naam}"


def _api_paden(fouten: list[Fout]) -> list[Fout]:
    return [replace(f, veld=_persoon_pad(f.veld)) for f in fouten]


def _bekende_persoon(m: MeldingIn) -> tuple[Persoon | None, list[Fout]]:
    """The person an afmelding or wijziging is about: by BSN, with the geboortedatum as a check."""
    fouten = controleer_bsn(m.persoon.bsn, "persoon.bsn")
    if fouten:
        return None, fouten
    persoon = db.session.scalar(select(Persoon).where(Persoon.bsn == m.persoon.bsn))
    geboren = m.persoon.geboren
    if persoon is not None and geboren is not None and persoon.geboortedatum != geboren:
        return None, [
            Fout(
                "bsn_hoort_bij_ander",
                "Dit BSN hoort bij iemand met een andere "
                "geboortedatum. Controleer het BSN en de geboortedatum.",
                "persoon.bsn",
            )
        ]
    return persoon, []


@dataclass
class _Plan:
    """What a valid melding will do; ``doe`` applies it and returns the relatienummer."""

    contract: Contract | None
    fouten: list[Fout]
    doe: Callable[[Melding], str] | None = None
    persoon: Persoon | None = None


def beoordeel(
    m: MeldingIn, afzender: Afzender, vandaag: date, vensters: Vensters = STANDAARD_VENSTERS
) -> _Plan:
    """Check the melding against every rule without changing anything; ``vensters`` are the
    date windows from the app's settings, passed in by the channel."""
    contract, fouten = _contract(m, afzender)
    if contract is None:
        return _Plan(None, fouten)
    plan = {"aanmelding": _aanmelding, "afmelding": _afmelding, "wijziging": _wijziging}[m.soort](
        m, contract, afzender, vandaag, vensters
    )
    plan.fouten = fouten + plan.fouten
    return plan


def _aanmelding(m, contract, afzender, vandaag, vensters) -> _Plan:
    h = Huishouden(contract=contract, ingangsdatum=m.ingangsdatum, hoofd=replace(m.persoon, producten=[]))
    fouten = _aanleveren_vanaf(contract, h.begin, "ingangsdatum")
    fouten += _api_paden(aanmelden.controleer(h, vandaag, vensters.aanmelding))

    def doe(melding: Melding) -> str:
        try:
            uitkomst = aanmelden.registreer(
                h,
                vandaag=vandaag,
                bron=afzender.bron,
                kanaal=afzender.kanaal,
                venster=vensters.aanmelding,
                melding=melding,
                gecontroleerd=True,
            )
        except Afgekeurd as exc:
            raise Afgekeurd(_api_paden(exc.fouten)) from exc
        return uitkomst.deelnames[0].persoon.relatienummer

    return _Plan(contract, fouten, doe)


def _afmelding(m, contract, afzender, vandaag, vensters) -> _Plan:
    persoon, fouten = _bekende_persoon(m)
    if fouten:
        return _Plan(contract, fouten)
    deelname = None
    if persoon is not None:
        deelname = db.session.scalar(
            select(Deelname).where(
                Deelname.persoon_id == persoon.id,
                Deelname.contract_id == contract.id,
                Deelname.einddatum.is_(None),
            )
        )
    if deelname is None:
        return _Plan(
            contract,
            [
                Fout(
                    "geen_actieve_deelname",
                    "Deze persoon heeft geen lopende deelname "
                    f"in contract {contract.nummer}. Controleer het BSN.",
                    "persoon.bsn",
                )
            ],
            persoon=persoon,
        )
    assert persoon is not None  # the deelname was found through the persoon
    reden = m.reden or afmelden.EINDE_COLLECTIVITEIT
    einde = lees_datum(m.einddatum)
    fouten = afmelden.controleer(deelname, einde, reden, vandaag, vensters.afmelding)
    fouten += _aanleveren_vanaf(contract, einde, "einddatum")

    def doe(melding: Melding) -> str:
        afmelden.afmelden(
            deelname,
            einde,
            reden,
            vandaag=vandaag,
            bron=afzender.bron,
            kanaal=afzender.kanaal,
            venster=vensters.afmelding,
            melding=melding,
        )
        return persoon.relatienummer

    return _Plan(contract, fouten, doe, persoon)


def _wijziging(m, contract, afzender, vandaag, vensters) -> _Plan:
    persoon, fouten = _bekende_persoon(m)
    if fouten:
        return _Plan(contract, fouten)
    deelname = wijzigen.deelname_van(persoon, contract.id) if persoon is not None else None
    if deelname is None:
        return _Plan(
            contract,
            [
                Fout(
                    "deelnemer_onbekend",
                    f"Deze persoon is geen deelnemer van contract {contract.nummer}. Controleer het BSN.",
                    "persoon.bsn",
                )
            ],
            persoon=persoon,
        )
    fouten = wijzigen.controleer(deelname, m.wijziging, vandaag, vensters)
    for veld in ("ingangsdatum", "einddatum"):
        fouten += _aanleveren_vanaf(contract, lees_datum(m.wijziging.get(veld)), f"wijziging.{veld}")
    assert persoon is not None  # the deelname was found through the persoon

    def doe(melding: Melding) -> str:
        wijzigen.wijzig(deelname, m.wijziging, vandaag=vandaag, melding=melding, vensters=vensters)
        return persoon.relatienummer

    return _Plan(contract, fouten, doe, persoon)


def controleer(
    m: MeldingIn, afzender: Afzender, vandaag: date | None = None, vensters: Vensters = STANDAARD_VENSTERS
) -> list[Fout]:
    """The dry run: every rule the melding breaks, changing nothing. Raises ``NietBevoegd`` as
    ``ontvang`` does (a portal user's contracts give ``afzender_niet_bevoegd`` as a fout instead)."""
    return beoordeel(m, afzender, vandaag or vandaag_nl(), vensters).fouten


# -- apply ----------------------------------------------------------------------------------------


def ontvang(
    m: MeldingIn,
    afzender: Afzender,
    *,
    vandaag: date | None = None,
    regelnummer: int | None = None,
    vooraf: list[Fout] | None = None,
    vensters: Vensters = STANDAARD_VENSTERS,
) -> Ontvangst:
    """Process the melding once, in the caller's transaction (the caller commits); a re-send
    returns the first result.

    ``vooraf`` holds what the channel already found wrong (a line twice in a file): the melding
    is then refused with those and the pipeline's own findings. Raises ``NietBevoegd`` (nothing
    stored). Conflicts between concurrent requests surface as an IntegrityError at a unique
    index (the melding id, an open deelname, a BSN); the savepoint of ``_verwerk`` has then
    undone this attempt, and the loop finds the twin's result, or checks again against what the
    twin wrote.
    """
    vandaag = vandaag or vandaag_nl()
    vingerafdruk = m.vingerafdruk()
    for _ in range(5):
        bestaand = zoek(afzender.bron, m.melding_id)
        if bestaand is not None:
            return Ontvangst(
                bestaand,
                bestaand.status,
                bestaand.antwoord,
                nieuw=False,
                conflict=bestaand.body_hash != vingerafdruk,
            )
        try:
            melding = _verwerk(m, afzender, vandaag, vingerafdruk, regelnummer, vooraf or [], vensters)
        except (IntegrityError, OperationalError):
            continue
        return Ontvangst(melding, melding.status, melding.antwoord)
    raise RuntimeError("melding kon na herhaalde pogingen niet worden vastgelegd")


# Built once: every melding asks it, and almost always finds nothing (so no entity to load).
_BESTAAND = select(Melding.id).where(
    Melding.bron == bindparam("bron"), Melding.extern_id == bindparam("extern_id")
)


def zoek(bron: str, melding_id: str) -> Melding | None:
    gevonden = db.session.execute(_BESTAAND, {"bron": bron, "extern_id": melding_id}).scalar()
    return db.session.get(Melding, gevonden) if gevonden is not None else None


def _verwerk(
    m: MeldingIn,
    afzender: Afzender,
    vandaag: date,
    vingerafdruk: str,
    regelnummer: int | None,
    vooraf: list[Fout],
    vensters: Vensters,
) -> Melding:
    ontvangen = utcnow()

    def nieuwe_melding(**waarden) -> Melding:
        return Melding(
            bron=afzender.bron,
            kanaal=afzender.kanaal,
            extern_id=m.melding_id,
            body_hash=vingerafdruk,
            soort=m.soort,
            gegevens=m.als_json(),
            upload_id=afzender.upload_id,
            regelnummer=regelnummer,
            ontvangen_op=ontvangen,
            ontvangen_dag=ontvangen.astimezone(AMSTERDAM).date(),
            **waarden,
        )

    def afgekeurd(plan: _Plan | None, fouten: list[Fout]) -> Melding:
        return nieuwe_melding(
            status="afgekeurd",
            contract_id=plan.contract.id if plan and plan.contract else None,
            persoon_id=plan.persoon.id if plan and plan.persoon else None,
            fouten=[asdict(f) for f in fouten],
            verwerkt_op=utcnow(),
        )

    # Every rule is checked before the first write, outside the savepoint: on SQLite the write
    # lock (on PostgreSQL the locks of the numbering series) is then held only while the melding
    # is written, so concurrent senders wait for each other's writes, not for each other's
    # checks. What another sender writes in between is caught by the unique indexes (a twin's
    # melding id, an open deelname, a BSN): the savepoint undoes this attempt and ``ontvang``
    # finds the twin's result or checks again.
    plan = None
    try:
        plan = beoordeel(m, afzender, vandaag, vensters)
        fouten = vooraf + plan.fouten
    except Afgekeurd as exc:
        fouten = exc.fouten
    relatienummer = None
    with db.session.begin_nested():
        if not fouten:
            melding = nieuwe_melding(status="ontvangen")
            assert plan is not None and plan.doe is not None  # a plan without fouten has one
            try:
                relatienummer = plan.doe(melding)
            except Afgekeurd as exc:
                # A refusal found while applying (a twin registered the person first): the rule
                # has undone its own writes (registreer and afmelden write in a savepoint, wijzig
                # refuses before it writes), and the refused melding is stored instead.
                fouten = exc.fouten
        if fouten:
            melding, relatienummer = afgekeurd(plan, fouten), None
        melding.antwoord = antwoord(melding, relatienummer)
        # Added last, complete: one INSERT when the savepoint ends instead of an INSERT and two
        # UPDATEs. A twin with the same id fails there, on the unique index, and ``ontvang``
        # finds the first result.
        db.session.add(melding)
        _audit(melding, afzender, relatienummer)
    return melding


def antwoord(melding: Melding, relatienummer: str | None = None) -> dict:
    """The API's answer for this melding (stored, so a re-send returns exactly this)."""
    return {
        "melding_id": melding.extern_id,
        "status": melding.status,
        "ontvangen_op": _iso(melding.ontvangen_op),
        "relatienummer": relatienummer,
        "fouten": [
            {"code": f["code"], "melding": f["bericht"], "veld": f.get("veld")} for f in melding.fouten or []
        ],
    }


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(AMSTERDAM).isoformat(timespec="seconds")


def _audit(melding: Melding, afzender: Afzender, relatienummer: str | None) -> None:
    actie = "update" if melding.soort != "aanmelding" else "create"
    contract = db.session.get(Contract, melding.contract_id) if melding.contract_id else None
    audit.record(
        f"melding_{melding.soort}",
        actie,
        relatienummers=[relatienummer] if relatienummer else [],
        contract_nummer=contract.nummer if contract else None,
        uitkomst="ok" if melding.status == "verwerkt" else "afgekeurd",
        wie=afzender.wie,
        toegang=afzender.toegang,
        details={
            "kanaal": afzender.kanaal,
            "bron": afzender.bron,
            "melding_id": melding.extern_id,
            "codes": [f["code"] for f in melding.fouten or []],
        },
    )
