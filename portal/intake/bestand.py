"""Reading an uploaded file of aan- en afmeldingen (.xlsx or .csv) into meldingen.

The columns are the API's fields under Dutch names (the template shows them). A file that is
not such a template (not a spreadsheet, unknown or missing columns, too many lines) is refused
as a whole with one message; a bad value in a line is the pipeline's business and is reported
for that line.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from portal.documents.exports import Kolom, csv_stroom, xlsx_bestand
from portal.domain.afmelden import REDENEN
from portal.domain.fouten import Fout
from portal.domain.intake import MAX_TEKST, SOORTEN, zet
from portal.domain.validation import lees_datum

# (column heading, path in the API's JSON)
KOLOMMEN = [
    ("Soort", "soort"),
    ("Collectiviteitsnummer", "collectiviteitsnummer"),
    ("KvK-nummer", "kvk_nummer"),
    ("BSN", "persoon.bsn"),
    ("Voorletters", "persoon.voorletters"),
    ("Voorvoegsel", "persoon.voorvoegsel"),
    ("Achternaam", "persoon.achternaam"),
    ("Geslacht", "persoon.geslacht"),
    ("Geboortedatum", "persoon.geboortedatum"),
    ("Nationaliteit", "persoon.nationaliteit"),
    ("Straat", "persoon.adres.straat"),
    ("Huisnummer", "persoon.adres.huisnummer"),
    ("Toevoeging", "persoon.adres.huisnummer_toevoeging"),
    ("Postcode", "persoon.adres.postcode"),
    ("Woonplaats", "persoon.adres.woonplaats"),
    ("E-mail", "persoon.email"),
    ("Telefoon", "persoon.telefoon"),
    ("Ingangsdatum", "ingangsdatum"),
    ("Einddatum", "einddatum"),
    ("Reden", "reden"),
    ("Nieuw BSN", "wijziging.bsn"),
    ("Nieuwe geboortedatum", "wijziging.geboortedatum"),
    ("Nieuwe ingangsdatum", "wijziging.ingangsdatum"),
    ("Nieuwe einddatum", "wijziging.einddatum"),
]
KOP_VAN_PAD = {pad: kop for kop, pad in KOLOMMEN}
VERPLICHT = ("Soort", "BSN")
DATUMS = {
    "persoon.geboortedatum",
    "ingangsdatum",
    "einddatum",
    "wijziging.geboortedatum",
    "wijziging.ingangsdatum",
    "wijziging.einddatum",
}
NULLEN = {"persoon.bsn": 9, "wijziging.bsn": 9, "kvk_nummer": 8}  # Excel drops leading zeros
REDEN_VAN_LABEL = {label.lower(): code for code, label in REDENEN.items()}


class OngeldigBestand(ValueError):
    """The file as a whole is not a template of meldingen; nothing is stored."""


@dataclass
class RegelIn:
    """One line: the melding in the API's JSON shape and what was wrong while reading it."""

    regelnummer: int
    gegevens: dict
    leesfouten: list[Fout] = field(default_factory=list)


def lees(inhoud: bytes, bestandsnaam: str, collectiviteitsnummer: str, max_regels: int) -> list[RegelIn]:
    """All lines of the file as meldingen for the chosen contract; raises ``OngeldigBestand``."""
    naam = bestandsnaam.lower()
    if naam.endswith(".xlsx"):
        rijen = _xlsx_rijen(inhoud)
    elif naam.endswith(".csv"):
        rijen = _csv_rijen(inhoud)
    else:
        raise OngeldigBestand("Kies een bestand van het type .xlsx (Excel) of .csv.")
    kop = next(rijen, None)
    if kop is None:
        raise OngeldigBestand(
            "Het bestand is leeg. Gebruik het sjabloon en vul vanaf de tweede regel de meldingen in."
        )
    paden = _kolommen(kop)
    regels: list[RegelIn] = []
    gezien: dict[tuple[str, str], int] = {}
    for regelnummer, rij in enumerate(rijen, start=2):
        if all(_leeg(waarde) for waarde in rij):
            continue
        if len(regels) >= max_regels:
            raise OngeldigBestand(
                f"Het bestand heeft meer dan {max_regels:,} meldingen. Verdeel de "
                "meldingen over meerdere bestanden.".replace(",", ".")
            )
        regels.append(_regel(regelnummer, rij, paden, collectiviteitsnummer, gezien))
    if not regels:
        raise OngeldigBestand("Het bestand bevat geen meldingen: vul ze in vanaf de tweede regel.")
    return regels


def _leeg(waarde) -> bool:
    return waarde is None or (isinstance(waarde, str) and not waarde.strip())


def _xlsx_rijen(inhoud: bytes):
    from openpyxl import load_workbook

    if not inhoud.startswith(b"PK\x03\x04"):
        raise OngeldigBestand(
            "Dit is geen Excel-bestand (.xlsx). Sla het bestand op als Excel-werkmap "
            "of als CSV en probeer het opnieuw."
        )
    try:
        werkmap = load_workbook(io.BytesIO(inhoud), read_only=True, data_only=True)
        blad = werkmap.worksheets[0]
        return iter(list(blad.iter_rows(values_only=True)))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError) as exc:
        raise OngeldigBestand(
            "Dit Excel-bestand kan niet worden gelezen. Sla het opnieuw op als "
            "Excel-werkmap (.xlsx) en probeer het nog eens."
        ) from exc


def _csv_rijen(inhoud: bytes):
    if b"\x00" in inhoud[:4096]:
        raise OngeldigBestand("Dit is geen CSV-bestand. Sla het bestand op als CSV (UTF-8) of als Excel.")
    try:
        tekst = inhoud.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise OngeldigBestand(
            "Het CSV-bestand is niet in UTF-8 opgeslagen. Kies in Excel 'CSV UTF-8' bij Opslaan als."
        ) from exc
    eerste = tekst.split("\n", 1)[0]
    scheiding = ";" if eerste.count(";") >= eerste.count(",") else ","
    return iter(list(csv.reader(io.StringIO(tekst, newline=""), delimiter=scheiding)))


def _kolommen(kop) -> list[str | None]:
    bekend = {k.lower(): pad for k, pad in KOLOMMEN}
    paden, onbekend = [], []
    for waarde in kop:
        naam = str(waarde).strip() if waarde is not None else ""
        if not naam:
            paden.append(None)
        elif naam.lower() in bekend:
            paden.append(bekend[naam.lower()])
        else:
            onbekend.append(naam)
    if onbekend:
        raise OngeldigBestand(
            f"Onbekende kolom(men): {', '.join(onbekend[:5])}. Gebruik de kolomnamen van het sjabloon."
        )
    ontbreekt = [k for k in VERPLICHT if {dict(KOLOMMEN)[k]} - set(paden)]
    if ontbreekt:
        raise OngeldigBestand(f"De kolom(men) {', '.join(ontbreekt)} ontbreken. Gebruik het sjabloon.")
    return paden


def _tekst(pad: str, waarde) -> str:
    if waarde is None:
        return ""
    if isinstance(waarde, datetime):
        waarde = waarde.date()
    if isinstance(waarde, date):
        return waarde.isoformat()
    if isinstance(waarde, float) and waarde.is_integer():
        waarde = int(waarde)
    tekst = str(waarde).strip()
    if pad in NULLEN and tekst.isdigit():
        tekst = tekst.zfill(NULLEN[pad])
    if pad in DATUMS and tekst:
        datum = lees_datum(tekst)
        tekst = datum.isoformat() if datum else tekst
    if pad == "soort":
        tekst = tekst.lower()
    if pad == "reden":
        tekst = REDEN_VAN_LABEL.get(tekst.lower(), tekst.lower().replace(" ", "_"))
    if pad == "persoon.geslacht":
        tekst = tekst.upper()
    return tekst


def _regel(regelnummer: int, rij, paden, collectiviteitsnummer: str, gezien: dict) -> RegelIn:
    gegevens: dict = {"melding_id": f"regel-{regelnummer}"}
    fouten: list[Fout] = []
    for pad, waarde in zip(paden, rij, strict=False):
        if pad is None:
            continue
        tekst = _tekst(pad, waarde)
        if not tekst:
            continue
        if len(tekst) > MAX_TEKST:
            fouten.append(
                Fout("te_lang", f"De kolom {KOP_VAN_PAD[pad]} is langer dan {MAX_TEKST} tekens.", pad)
            )
            continue
        zet(gegevens, pad, tekst)
    gegevens.setdefault("collectiviteitsnummer", collectiviteitsnummer)
    soort = gegevens.get("soort", "")
    if soort not in SOORTEN:
        fouten.append(Fout("soort_ongeldig", "Vul bij Soort aanmelding, afmelding of wijziging in.", "soort"))
    else:
        sleutel = (soort, gegevens.get("persoon", {}).get("bsn", ""))
        if sleutel[1] and sleutel in gezien:
            fouten.append(
                Fout(
                    "dubbel_in_bestand",
                    f"Dezelfde {soort} voor dit BSN staat al op regel "
                    f"{gezien[sleutel]}. Verwijder een van beide regels.",
                    "persoon.bsn",
                )
            )
        elif sleutel[1]:
            gezien[sleutel] = regelnummer
    return RegelIn(regelnummer, gegevens, fouten)


# -- the template ---------------------------------------------------------------------------------

VOORBEELDEN = [
    {
        "Soort": "aanmelding",
        "BSN": "999990019",
        "Voorletters": "P.",
        "Achternaam": "Kowalski",
        "Geslacht": "M",
        "Geboortedatum": date(1991, 4, 12),
        "Nationaliteit": "Pools",
        "Straat": "Havenweg",
        "Huisnummer": "3",
        "Postcode": "2671 AB",
        "Woonplaats": "Naaldwijk",
        "Ingangsdatum": None,
    },
    {"Soort": "afmelding", "BSN": "999990020", "Einddatum": None, "Reden": "Einde collectiviteit"},
    {"Soort": "wijziging", "BSN": "999990032", "Nieuwe geboortedatum": date(1988, 2, 1)},
]


def _voorbeeldrijen(vandaag: date, collectiviteitsnummer: str, kvk: str):
    for voorbeeld in VOORBEELDEN:
        waarden = {**voorbeeld, "Collectiviteitsnummer": collectiviteitsnummer, "KvK-nummer": kvk}
        for kop in ("Ingangsdatum", "Einddatum"):
            if kop in waarden:
                waarden[kop] = vandaag.replace(day=1)
        rij = []
        for kop, pad in KOLOMMEN:
            waarde = waarden.get(kop)
            rij.append(
                datetime.combine(waarde, datetime.min.time())
                if isinstance(waarde, date) and pad in DATUMS
                else waarde
            )
        yield tuple(rij)


def sjabloon_kolommen() -> list[Kolom]:
    return [
        Kolom(kop, 16 if len(kop) < 14 else len(kop) + 2, "datum" if pad in DATUMS else "tekst")
        for kop, pad in KOLOMMEN
    ]


def sjabloon_xlsx(vandaag: date, collectiviteitsnummer: str, kvk: str):
    return xlsx_bestand(
        sjabloon_kolommen(), _voorbeeldrijen(vandaag, collectiviteitsnummer, kvk), "Meldingen"
    )


def sjabloon_csv(vandaag: date, collectiviteitsnummer: str, kvk: str):
    rijen = (
        (w.date() if isinstance(w, datetime) else w for w in rij)
        for rij in _voorbeeldrijen(vandaag, collectiviteitsnummer, kvk)
    )
    return csv_stroom(sjabloon_kolommen(), ([*rij] for rij in rijen))
