"""Aanmelden: registering a household (or bijschrijven gezinsleden) in a contract.

The rules live here once; the wizard, the upload and the API call ``controleer_personen``,
``controleer_verzekering`` and ``registreer``. Every rejection is a ``Fout`` whose ``veld`` is a
path into the household: ``ingangsdatum``, ``hoofd.bsn``, ``leden.0.geboortedatum``,
``leden.1.producten``, ``betaling.iban``.

Nothing is written until ``registreer``; it writes all persons or raises and the caller rolls
back, so a failure leaves nothing behind.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.exc import IntegrityError
from stdnum import iban as stdnum_iban

from portal.domain import berichten, nummers, premie
from portal.domain.dates import Venster, dd_mm_jjjj
from portal.domain.fouten import Afgekeurd, Fout
from portal.domain.names import volledige_naam
from portal.domain.validation import controleer_bsn, is_valid_bsn, lees_datum
from portal.extensions import db
from portal.models import (
    Contract,
    Deelname,
    Melding,
    Persoon,
    Polis,
    PolisProduct,
    PolisVerzending,
    Product,
)
from portal.models.types import utcnow

HOOFD, PARTNER, KIND = "hoofdverzekerde", "partner", "kind"
GESLACHTEN = {"M": "Man", "V": "Vrouw", "X": "X (onbepaald)"}
BETALINGSWIJZEN = {
    "automatische_incasso": "Automatische incasso",
    "acceptgiro": "Acceptgiro",
    "via_werkgever": "Inhouding via de werkgever",
}
VROEGSTE_GEBOORTEDATUM = date(1900, 1, 1)

_POSTCODE = re.compile(r"^[1-9][0-9]{3} ?[A-Za-z]{2}$")
_HUISNUMMER = re.compile(r"^[1-9][0-9]{0,4}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TELEFOON = re.compile(r"^\+?[0-9 ()-]{10,20}$")


@dataclass
class PersoonGegevens:
    """One person as typed (or sent): strings, checked by ``controleer_personen``.

    ``producten`` holds the product codes chosen; empty means "alleen collectiviteit".
    Gezinsleden live at the hoofdverzekerde's address, so their address fields stay empty.
    """

    rol: str = HOOFD
    bsn: str = ""
    voorletters: str = ""
    voorvoegsel: str = ""
    achternaam: str = ""
    geslacht: str = ""
    geboortedatum: str = ""
    nationaliteit: str = ""
    straat: str = ""
    huisnummer: str = ""
    huisnummer_toevoeging: str = ""
    postcode: str = ""
    woonplaats: str = ""
    email: str = ""
    telefoon: str = ""
    producten: list[str] = field(default_factory=list)

    @classmethod
    def uit(cls, data: dict | None) -> PersoonGegevens:
        """From stored or sent data, ignoring unknown keys; every value a clean string."""
        data = data or {}
        waarden: dict[str, Any] = {}
        for naam in cls.__dataclass_fields__:
            if naam not in data:
                continue
            waarde = data[naam]
            if naam == "producten":
                waarden[naam] = [str(code) for code in (waarde or [])]
            else:
                waarden[naam] = "" if waarde is None else str(waarde).strip()
        return cls(**waarden)

    def als_dict(self) -> dict:
        return asdict(self)

    @property
    def geboren(self) -> date | None:
        return lees_datum(self.geboortedatum)

    @property
    def naam(self) -> str:
        return volledige_naam(self.voorletters, self.voorvoegsel, self.achternaam)


@dataclass
class Betaling:
    wijze: str = ""
    iban: str = ""
    rekeninghouder: str = ""

    @classmethod
    def uit(cls, data: dict | None) -> Betaling:
        data = data or {}
        return cls(**{k: str(data.get(k) or "").strip() for k in ("wijze", "iban", "rekeninghouder")})


@dataclass
class Huishouden:
    """A new hoofdverzekerde with gezinsleden, or gezinsleden joining an existing one."""

    contract: Contract
    ingangsdatum: str = ""
    hoofd: PersoonGegevens | None = None
    bestaand_hoofd: Deelname | None = None
    leden: list[PersoonGegevens] = field(default_factory=list)
    betaling: Betaling = field(default_factory=Betaling)

    @property
    def personen(self) -> list[tuple[str, PersoonGegevens]]:
        """Each person to register with the path prefix of its fields."""
        eigen = [("hoofd", self.hoofd)] if self.hoofd is not None else []
        return eigen + [(f"leden.{i}", lid) for i, lid in enumerate(self.leden)]

    @property
    def begin(self) -> date | None:
        return lees_datum(self.ingangsdatum)

    @property
    def verzekerd(self) -> bool:
        return any(p.producten for _, p in self.personen)


@dataclass
class Aanmelding:
    """What a registration wrote, for the confirmation and the polisbladen."""

    contract: Contract
    deelnames: list[Deelname] = field(default_factory=list)
    polissen: list[Polis] = field(default_factory=list)
    gekoppelde_polissen: list[Polis] = field(default_factory=list)


# -- the rules ----------------------------------------------------------------------------------


def controleer_ingangsdatum(
    waarde: str, contract: Contract, vandaag: date, venster: Venster | None = None
) -> list[Fout]:
    """Required, a real date, within the 120-day rule and the future limit, inside the contract."""
    venster = venster or Venster()
    if not waarde:
        return [Fout("veld_verplicht", "Vul de ingangsdatum in.", "ingangsdatum")]
    begin = lees_datum(waarde)
    if begin is None:
        return [
            Fout(
                "datum_ongeldig",
                f"Vul de ingangsdatum in als dd-mm-jjjj, bijvoorbeeld {dd_mm_jjjj(vandaag.replace(day=1))}.",
                "ingangsdatum",
            )
        ]
    vroegst = venster.vroegst(vandaag)
    laatst = venster.laatst(vandaag)
    if begin < vroegst:
        return [
            Fout(
                "ingangsdatum_te_ver_terug",
                f"De ingangsdatum mag hoogstens {venster.dagen_terug} dagen vóór vandaag liggen. "
                f"De vroegst mogelijke ingangsdatum is {dd_mm_jjjj(vroegst)}.",
                "ingangsdatum",
            )
        ]
    if begin > laatst:
        return [
            Fout(
                "ingangsdatum_te_ver_vooruit",
                f"De ingangsdatum mag hoogstens {venster.dagen_vooruit} dagen vooruit liggen. "
                f"De laatst mogelijke ingangsdatum is {dd_mm_jjjj(laatst)}.",
                "ingangsdatum",
            )
        ]
    if begin < contract.ingangsdatum:
        return [
            Fout(
                "ingangsdatum_voor_contract",
                f"Het contract begint op {dd_mm_jjjj(contract.ingangsdatum)}. Kies die datum of later.",
                "ingangsdatum",
            )
        ]
    if contract.einddatum is not None and begin > contract.einddatum:
        return [
            Fout(
                "contract_beeindigd",
                f"Het contract eindigt op {dd_mm_jjjj(contract.einddatum)}. Aanmelden kan tot en met "
                "die datum.",
                "ingangsdatum",
            )
        ]
    return []


def controleer_persoon(p: PersoonGegevens, pad: str, vandaag: date) -> list[Fout]:
    """The checks on one person's own fields."""
    fouten: list[Fout] = []

    def fout(code: str, bericht: str, veld: str) -> None:
        fouten.append(Fout(code, bericht, f"{pad}.{veld}"))

    if p.rol not in (HOOFD, PARTNER, KIND):
        fout("rol_ongeldig", "Kies of dit gezinslid partner of kind is.", "rol")
    fouten += controleer_bsn(p.bsn, f"{pad}.bsn")
    if not p.voorletters:
        fout("veld_verplicht", "Vul de voorletters in.", "voorletters")
    elif len(p.voorletters) > 20:
        fout("te_lang", "Voorletters zijn hoogstens 20 tekens.", "voorletters")
    if len(p.voorvoegsel) > 20:
        fout("te_lang", "Een voorvoegsel is hoogstens 20 tekens.", "voorvoegsel")
    if not p.achternaam:
        fout("veld_verplicht", "Vul de achternaam in.", "achternaam")
    elif len(p.achternaam) > 200:
        fout("te_lang", "Een achternaam is hoogstens 200 tekens.", "achternaam")
    if p.geslacht not in GESLACHTEN:
        fout("veld_verplicht", "Kies het geslacht.", "geslacht")
    geboren = p.geboren
    if not p.geboortedatum:
        fout("veld_verplicht", "Vul de geboortedatum in.", "geboortedatum")
    elif geboren is None:
        fout(
            "datum_ongeldig",
            "Vul de geboortedatum in als dd-mm-jjjj, bijvoorbeeld 14-02-1967. De datum moet bestaan.",
            "geboortedatum",
        )
    elif geboren > vandaag:
        fout("geboortedatum_in_toekomst", "De geboortedatum kan niet na vandaag liggen.", "geboortedatum")
    elif geboren < VROEGSTE_GEBOORTEDATUM:
        fout(
            "datum_ongeldig",
            f"Een geboortedatum vóór {dd_mm_jjjj(VROEGSTE_GEBOORTEDATUM)} is niet mogelijk.",
            "geboortedatum",
        )
    if not p.nationaliteit:
        fout("veld_verplicht", "Vul de nationaliteit in.", "nationaliteit")
    elif len(p.nationaliteit) > 60:
        fout("te_lang", "Een nationaliteit is hoogstens 60 tekens.", "nationaliteit")
    if p.rol == HOOFD:
        fouten.extend(_controleer_adres(p, pad))
    return fouten


def _controleer_adres(p: PersoonGegevens, pad: str) -> list[Fout]:
    fouten = []
    if not p.straat:
        fouten.append(Fout("veld_verplicht", "Vul de straat in.", f"{pad}.straat"))
    if not p.huisnummer:
        fouten.append(Fout("veld_verplicht", "Vul het huisnummer in.", f"{pad}.huisnummer"))
    elif not _HUISNUMMER.match(p.huisnummer):
        fouten.append(
            Fout(
                "huisnummer_ongeldig",
                "Een huisnummer bestaat uit cijfers, bijvoorbeeld 12. "
                "Een toevoeging zoals A of bis vult u apart in.",
                f"{pad}.huisnummer",
            )
        )
    if len(p.huisnummer_toevoeging) > 10:
        fouten.append(
            Fout("te_lang", "Een toevoeging is hoogstens 10 tekens.", f"{pad}.huisnummer_toevoeging")
        )
    if not p.postcode:
        fouten.append(Fout("veld_verplicht", "Vul de postcode in.", f"{pad}.postcode"))
    elif not _POSTCODE.match(p.postcode):
        fouten.append(
            Fout(
                "postcode_ongeldig",
                "Vul de postcode in als 4 cijfers en 2 letters, bijvoorbeeld 2311 AB.",
                f"{pad}.postcode",
            )
        )
    if not p.woonplaats:
        fouten.append(Fout("veld_verplicht", "Vul de woonplaats in.", f"{pad}.woonplaats"))
    if p.email and (len(p.email) > 200 or not _EMAIL.match(p.email)):
        fouten.append(
            Fout(
                "email_ongeldig",
                "Vul een e-mailadres in zoals naam@voorbeeld.nl, of laat het veld leeg.",
                f"{pad}.email",
            )
        )
    if p.telefoon and not _TELEFOON.match(p.telefoon):
        fouten.append(
            Fout(
                "telefoon_ongeldig",
                "Vul een telefoonnummer in van 10 cijfers, zoals 071 123 45 67, of laat het veld leeg.",
                f"{pad}.telefoon",
            )
        )
    return fouten


def controleer_personen(
    h: Huishouden, vandaag: date, venster: Venster | None = None, leden_verplicht: bool = False
) -> list[Fout]:
    """Every rule about the persons and the ingangsdatum, each person alone and together."""
    fouten = controleer_ingangsdatum(h.ingangsdatum, h.contract, vandaag, venster)
    for pad, p in h.personen:
        fouten += controleer_persoon(p, pad, vandaag)
    if h.bestaand_hoofd is not None:
        fouten += _controleer_bestaand_hoofd(h)
        if leden_verplicht and not h.leden:
            fouten.append(
                Fout("geen_gezinsleden", "Voeg een partner of kind toe om bij te schrijven.", "leden")
            )
    fouten += _controleer_samen(h)
    fouten += _controleer_bekende_personen(h)
    return fouten


def _controleer_bestaand_hoofd(h: Huishouden) -> list[Fout]:
    hoofd = h.bestaand_hoofd
    assert hoofd is not None  # called for a household that joins one
    if hoofd.einddatum is not None or hoofd.rol != HOOFD:
        return [
            Fout(
                "hoofd_niet_actief",
                f"{hoofd.persoon.volledige_naam} is geen lopende "
                "hoofdverzekerde in dit contract; bijschrijven kan niet.",
                "leden",
            )
        ]
    begin = h.begin
    if begin is not None and begin < hoofd.ingangsdatum:
        return [
            Fout(
                "ingangsdatum_voor_hoofd",
                f"De deelname van {hoofd.persoon.volledige_naam} begint op "
                f"{dd_mm_jjjj(hoofd.ingangsdatum)}. Kies die datum of later.",
                "ingangsdatum",
            )
        ]
    return []


def _hoofd_geboren(h: Huishouden) -> date | None:
    if h.hoofd is not None:
        return h.hoofd.geboren
    return h.bestaand_hoofd.persoon.geboortedatum if h.bestaand_hoofd is not None else None


def _controleer_samen(h: Huishouden) -> list[Fout]:
    fouten = []
    partners = [i for i, lid in enumerate(h.leden) if lid.rol == PARTNER]
    if h.bestaand_hoofd is not None and partners and _heeft_partner(h.bestaand_hoofd):
        fouten.append(
            Fout(
                "te_veel_partners",
                f"{h.bestaand_hoofd.persoon.volledige_naam} heeft al een partner in dit contract.",
                f"leden.{partners[0]}.rol",
            )
        )
    for i in partners[1:]:
        fouten.append(Fout("te_veel_partners", "Er kan maar één partner worden aangemeld.", f"leden.{i}.rol"))
    hoofd_geboren = _hoofd_geboren(h)
    for i, lid in enumerate(h.leden):
        if lid.rol == KIND and hoofd_geboren and lid.geboren and lid.geboren <= hoofd_geboren:
            fouten.append(
                Fout(
                    "kind_niet_jonger",
                    f"Een kind is jonger dan de cliënt (geboren "
                    f"{dd_mm_jjjj(hoofd_geboren)}). Controleer de geboortedatum of kies partner.",
                    f"leden.{i}.geboortedatum",
                )
            )
    begin = h.begin
    for pad, p in h.personen:
        if begin and p.geboren and p.geboren > begin:
            fouten.append(
                Fout(
                    "ingangsdatum_voor_geboorte",
                    f"{p.naam or 'Deze persoon'} is geboren op "
                    f"{dd_mm_jjjj(p.geboren)}, na de ingangsdatum. Kies als ingangsdatum de "
                    "geboortedatum of later.",
                    f"{pad}.geboortedatum",
                )
            )
    gezien: dict[str, str] = {}
    if h.bestaand_hoofd is not None:
        gezien[h.bestaand_hoofd.persoon.bsn] = "de hoofdverzekerde"
    for pad, p in h.personen:
        if p.bsn and p.bsn in gezien:
            fouten.append(Fout("bsn_dubbel", f"Dit BSN is al ingevuld bij {gezien[p.bsn]}.", f"{pad}.bsn"))
        elif p.bsn:
            gezien[p.bsn] = p.naam or "een andere persoon"
    return fouten


def _heeft_partner(hoofd: Deelname) -> bool:
    return (
        db.session.scalar(
            select(Deelname.id)
            .where(
                Deelname.hoofd_deelname_id == hoofd.id, Deelname.rol == PARTNER, Deelname.einddatum.is_(None)
            )
            .limit(1)
        )
        is not None
    )


def _bekend(bsns: list[str]) -> dict[str, Persoon]:
    if not bsns:
        return {}
    return {p.bsn: p for p in db.session.scalars(select(Persoon).where(Persoon.bsn.in_(bsns)))}


def _controleer_bekende_personen(h: Huishouden) -> list[Fout]:
    """A BSN the insurer knows: the geboortedatum must match, and no deelname in this contract
    may run on the ingangsdatum (one active deelname per contract)."""
    geldig = [(pad, p) for pad, p in h.personen if is_valid_bsn(p.bsn)]
    bekend = _bekend([p.bsn for _, p in geldig])
    fouten = []
    begin = h.begin
    for pad, p in geldig:
        persoon = bekend.get(p.bsn)
        if persoon is None:
            continue
        if p.geboren and persoon.geboortedatum != p.geboren:
            fouten.append(
                Fout(
                    "bsn_hoort_bij_ander",
                    "Dit BSN hoort bij iemand met een andere "
                    "geboortedatum. Controleer het BSN en de geboortedatum.",
                    f"{pad}.bsn",
                )
            )
            continue
        # Without a valid ingangsdatum (reported on its own) only an open deelname can clash.
        loopt: ColumnElement[bool] = Deelname.einddatum.is_(None)
        if begin is not None:
            loopt = loopt | (Deelname.einddatum >= begin)
        lopend = db.session.scalars(
            select(Deelname)
            .where(Deelname.persoon_id == persoon.id, Deelname.contract_id == h.contract.id, loopt)
            .order_by(Deelname.ingangsdatum)
        ).first()
        if lopend is None:
            continue
        if lopend.einddatum is None:
            bericht = (
                f"{persoon.volledige_naam} is al deelnemer van contract {h.contract.nummer} "
                f"sinds {dd_mm_jjjj(lopend.ingangsdatum)}."
            )
        else:
            bericht = (
                f"De deelname van {persoon.volledige_naam} in contract {h.contract.nummer} loopt "
                f"tot en met {dd_mm_jjjj(lopend.einddatum)}. Kies een ingangsdatum na die datum."
            )
        fouten.append(Fout("deelname_bestaat_al", bericht, f"{pad}.bsn"))
    return fouten


def controleer_verzekering(h: Huishouden) -> list[Fout]:
    """The chosen products (offered by the contract, basis first, one per groep, no second polis)
    and, when anyone is insured, the betalingswijze."""
    begin = h.begin
    # Alleen collectiviteit (every digital melding) needs no products: skip the tariff query.
    aanbod = (
        {p.product.code: p for p in premie.aanbod(h.contract.id, begin.year)} if begin and h.verzekerd else {}
    )
    fouten = []
    bekend = _bekend([p.bsn for _, p in h.personen if p.producten])
    for pad, p in h.personen:
        if not p.producten:
            continue
        if any(code not in aanbod for code in p.producten):
            fouten.append(
                Fout(
                    "product_onbekend", "Kies een verzekering die dit contract aanbiedt.", f"{pad}.producten"
                )
            )
            continue
        gekozen = [aanbod[code] for code in p.producten]
        if not any(g.product.soort == "basis" for g in gekozen):
            fouten.append(
                Fout(
                    "basis_vereist",
                    "Een aanvullend pakket kan alleen samen met de basisverzekering.",
                    f"{pad}.producten",
                )
            )
        groepen = [g.product.groep for g in gekozen if g.product.groep]
        if len(groepen) != len(set(groepen)) or sum(g.product.soort == "basis" for g in gekozen) > 1:
            fouten.append(
                Fout(
                    "pakketten_sluiten_elkaar_uit",
                    "Kies per soort pakket één verzekering.",
                    f"{pad}.producten",
                )
            )
        persoon = bekend.get(p.bsn)
        if persoon is not None and _lopende_polis(persoon.id) is not None:
            fouten.append(
                Fout(
                    "polis_bestaat_al",
                    f"{persoon.volledige_naam} heeft al een lopende "
                    "zorgverzekering bij ons. Kies Alleen collectiviteit.",
                    f"{pad}.producten",
                )
            )
    if h.verzekerd:
        fouten += controleer_betaling(h.betaling, h.contract)
    return fouten


def controleer_betaling(b: Betaling, contract: Contract) -> list[Fout]:
    toegestaan = contract.betalingswijzen.split(",")
    if b.wijze not in toegestaan:
        return [Fout("betalingswijze_ongeldig", "Kies een betalingswijze.", "betaling.wijze")]
    fouten = []
    if b.wijze == "automatische_incasso":
        if not b.iban:
            fouten.append(Fout("veld_verplicht", "Vul het IBAN in.", "betaling.iban"))
        elif not stdnum_iban.is_valid(b.iban):
            fouten.append(
                Fout(
                    "iban_ongeldig",
                    "Dit IBAN klopt niet. Een Nederlands IBAN heeft 18 tekens, zoals NL91 ABNA 0417 1643 00.",
                    "betaling.iban",
                )
            )
        if not b.rekeninghouder:
            fouten.append(
                Fout("veld_verplicht", "Vul de naam van de rekeninghouder in.", "betaling.rekeninghouder")
            )
        elif len(b.rekeninghouder) > 200:
            fouten.append(
                Fout(
                    "te_lang",
                    "De naam van de rekeninghouder is hoogstens 200 tekens.",
                    "betaling.rekeninghouder",
                )
            )
    return fouten


def controleer(h: Huishouden, vandaag: date, venster: Venster | None = None) -> list[Fout]:
    fouten = controleer_personen(h, vandaag, venster, leden_verplicht=True)
    return fouten + controleer_verzekering(h)


def _lopende_polis(persoon_id: int) -> Polis | None:
    return db.session.scalars(
        select(Polis).where(Polis.persoon_id == persoon_id, Polis.einddatum.is_(None))
    ).first()


# -- registering ----------------------------------------------------------------------------------


def registreer(
    h: Huishouden,
    *,
    vandaag: date,
    bron: str,
    kanaal: str = "portal",
    venster: Venster | None = None,
    melding: Melding | None = None,
    gecontroleerd: bool = False,
) -> Aanmelding:
    """Register every person of the household, or raise ``Afgekeurd`` with nothing written
    (the writes are in a savepoint; the caller commits).

    Per person: the persoon (a known BSN is reused), the deelname, a melding and the bericht
    "Aanmelding ... ontvangen"; per insured person a polis with its products and the recorded
    mailing of polisblad and verzekeringspas. ``melding``, when the intake already holds the
    received one, records the first person instead of a new row. ``gecontroleerd``: the caller
    has just run ``controleer`` (the intake checks before it writes); what changed since is
    caught by the unique indexes below.
    """
    fouten = [] if gecontroleerd else controleer(h, vandaag, venster)
    if fouten:
        raise Afgekeurd(fouten)
    begin = h.begin
    assert begin is not None  # controleer refuses a household without a valid ingangsdatum
    uitkomst = Aanmelding(contract=h.contract)
    bekend = _bekend([p.bsn for _, p in h.personen])
    if h.hoofd is not None:
        adres = h.hoofd
    else:
        assert h.bestaand_hoofd is not None  # without a new hoofdverzekerde they join one
        adres = _adres_van(h.bestaand_hoofd.persoon)
    producten = (
        {a.product.code: a.product for a in premie.aanbod(h.contract.id, begin.year)} if h.verzekerd else {}
    )
    try:
        with db.session.begin_nested():
            hoofd_deelname = h.bestaand_hoofd
            for _, p in h.personen:
                persoon = bekend.get(p.bsn)
                nieuw = persoon is None
                if persoon is None:
                    persoon = _nieuwe_persoon(p, adres)
                deelname = Deelname(
                    persoon=persoon,
                    contract_id=h.contract.id,
                    ingangsdatum=begin,
                    rol=p.rol,
                    hoofd_deelname=hoofd_deelname if p.rol != HOOFD else None,
                )
                db.session.add(deelname)
                db.session.flush()
                if p.rol == HOOFD:
                    hoofd_deelname = deelname
                uitkomst.deelnames.append(deelname)
                if p.producten:
                    uitkomst.polissen.append(_polis(persoon, p, h, begin, producten))
                elif not nieuw:  # someone new to us has no polis yet
                    gekoppeld = _koppel_lopende_polis(persoon, h.contract)
                    if gekoppeld is not None:
                        uitkomst.gekoppelde_polissen.append(gekoppeld)
                _melding(deelname, p, bron, kanaal, melding)
                melding = None
                berichten.aanmelding_ontvangen(h.contract, persoon)
            _naam_partner(uitkomst.deelnames)
            db.session.flush()
    except IntegrityError as exc:
        # Two users registering the same person at the same moment: one of them gets this
        # (and the savepoint has undone its writes).
        raise Afgekeurd(
            [
                Fout(
                    "deelname_bestaat_al",
                    "Een van deze personen is zojuist al aangemeld. "
                    "Zoek hem of haar op bij Huidige deelnemers.",
                )
            ]
        ) from exc
    return uitkomst


def _adres_van(persoon: Persoon) -> PersoonGegevens:
    return PersoonGegevens(
        straat=persoon.straat or "",
        huisnummer=persoon.huisnummer or "",
        huisnummer_toevoeging=persoon.huisnummer_toevoeging or "",
        postcode=persoon.postcode or "",
        woonplaats=persoon.woonplaats or "",
    )


def _nieuwe_persoon(p: PersoonGegevens, adres: PersoonGegevens) -> Persoon:
    persoon = Persoon(
        relatienummer=nummers.relatienummer(),
        bsn=p.bsn,
        voorletters=p.voorletters,
        voorvoegsel=p.voorvoegsel or None,
        achternaam=p.achternaam,
        geslacht=p.geslacht,
        geboortedatum=p.geboren,
        nationaliteit=p.nationaliteit,
        straat=adres.straat,
        huisnummer=adres.huisnummer,
        huisnummer_toevoeging=adres.huisnummer_toevoeging or None,
        postcode=_postcode(adres.postcode),
        woonplaats=adres.woonplaats,
        land="Nederland",
        email=p.email or None,
        telefoon=p.telefoon or None,
    )
    db.session.add(persoon)
    return persoon


def _postcode(waarde: str) -> str:
    compact = waarde.replace(" ", "").upper()
    return f"{compact[:4]} {compact[4:]}" if compact else compact


def _polis(
    persoon: Persoon, p: PersoonGegevens, h: Huishouden, begin: date, producten: dict[str, Product]
) -> Polis:
    incasso = h.betaling.wijze == "automatische_incasso"
    polis = Polis(
        polisnummer=nummers.polisnummer(),
        persoon=persoon,
        contract_id=h.contract.id,
        ingangsdatum=begin,
        betalingswijze=h.betaling.wijze,
        iban=stdnum_iban.compact(h.betaling.iban) if incasso else None,
        rekeninghouder=h.betaling.rekeninghouder if incasso else None,
    )
    for code in p.producten:
        polis.producten.append(PolisProduct(product=producten[code], ingangsdatum=begin))
    verzonden = utcnow()
    for soort in ("polisblad", "verzekeringspas"):
        polis.verzendingen.append(PolisVerzending(soort=soort, verzonden_op=verzonden))
    db.session.add(polis)
    return polis


def _koppel_lopende_polis(persoon: Persoon, contract: Contract) -> Polis | None:
    """Someone insured with us individually joins the collectivity: the polis gets its discount."""
    polis = _lopende_polis(persoon.id)
    if polis is None or polis.contract_id is not None:
        return None
    polis.contract_id = contract.id
    return polis


def _naam_partner(deelnames: list[Deelname]) -> None:
    hoofd = next((d for d in deelnames if d.rol == HOOFD), None)
    partner = next((d for d in deelnames if d.rol == PARTNER), None)
    if hoofd is None or partner is None or hoofd.persoon.naam_partner:
        return
    hoofd.persoon.naam_partner = partner.persoon.achternaam
    hoofd.persoon.voorvoegsel_partner = partner.persoon.voorvoegsel


def _melding(
    deelname: Deelname, p: PersoonGegevens, bron: str, kanaal: str, melding: Melding | None = None
) -> Melding:
    now = utcnow()
    if melding is None:
        melding = Melding(
            bron=bron,
            kanaal=kanaal,
            extern_id=uuid.uuid4().hex,
            soort="aanmelding",
            ontvangen_op=now,
            gegevens={
                "relatienummer": deelname.persoon.relatienummer,
                "rol": p.rol,
                "ingangsdatum": deelname.ingangsdatum.isoformat(),
                "producten": list(p.producten),
            },
        )
        db.session.add(melding)
    melding.contract_id = deelname.contract_id
    melding.persoon_id = deelname.persoon.id
    melding.status, melding.verwerkt_op = "verwerkt", now
    return melding
