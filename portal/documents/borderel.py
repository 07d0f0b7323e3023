"""The borderel as a file and its factuur as a PDF: what ``portal.domain.borderellen.genereer``
writes down. The domain decides the lines and amounts; this module their text.

The CSV (semicolons, decimal commas, dd-mm-jjjj, a BOM so Excel reads UTF-8) is written line by
line into gzip, as it is kept in the borderel row: a million lines stay a few megabytes.
"""

from __future__ import annotations

import csv
import gzip
import io
from datetime import date
from decimal import Decimal
from functools import lru_cache

from portal.documents.exports import csv_veilig
from portal.domain import premie
from portal.domain.borderellen import Regel
from portal.domain.dates import maandnaam
from portal.models import Borderel, Contract, Factuur

KOPPEN = [
    "Relatienummer",
    "BSN",
    "Naam",
    "Geboortedatum",
    "Product",
    "Periode van",
    "Periode t/m",
    "Bruto premie",
    "Collectieve korting",
    "Netto premie",
    "Soort regel",
]


@lru_cache(maxsize=65536)
def bedrag_tekst(waarde: Decimal) -> str:
    """'1234,56' — the decimal comma Dutch spreadsheets read as a number."""
    return f"{waarde:.2f}".replace(".", ",")


@lru_cache(maxsize=65536)
def _dag_tekst(dag: date) -> str:
    # Cached: a borderel repeats the same few dates (the month's first and last day) per line.
    return dag.strftime("%d-%m-%Y")


def _csv_rij(regel: Regel) -> list[str]:
    soort = f"Correctie {maandnaam(regel.maand)}" if regel.correctie else "Premie"
    return [
        regel.relatienummer,
        regel.bsn,
        csv_veilig(regel.naam),
        _dag_tekst(regel.geboortedatum),
        csv_veilig(regel.product),
        _dag_tekst(regel.van),
        _dag_tekst(regel.tm),
        bedrag_tekst(regel.bedrag.bruto),
        bedrag_tekst(regel.bedrag.korting),
        bedrag_tekst(regel.bedrag.netto),
        soort,
    ]


class CsvBestand:
    """One borderel's CSV, gzip-compressed as it is written: ``regel`` per line, then ``sluit``."""

    def __init__(self) -> None:
        self._buffer = io.BytesIO()
        self._gz = gzip.GzipFile(fileobj=self._buffer, mode="wb", mtime=0, compresslevel=6)
        self._tekst = io.TextIOWrapper(self._gz, encoding="utf-8", newline="")
        self._writer = csv.writer(self._tekst, delimiter=";", lineterminator="\r\n")
        self._tekst.write("\ufeff")
        self._writer.writerow(KOPPEN)

    def regel(self, regel: Regel) -> None:
        self._writer.writerow(_csv_rij(regel))

    def sluit(self, totaal: premie.Bedrag) -> bytes:
        """The totals line, and the compressed file as stored."""
        self._writer.writerow(
            [
                "Totaal",
                "",
                "",
                "",
                "",
                "",
                "",
                bedrag_tekst(totaal.bruto),
                bedrag_tekst(totaal.korting),
                bedrag_tekst(totaal.netto),
                "",
            ]
        )
        self._tekst.flush()
        self._tekst.detach()
        self._gz.close()
        return self._buffer.getvalue()


class Documenten:
    """The documents of a borderel, as ``borderellen.genereer(..., documenten=DOCUMENTEN)`` asks."""

    def borderel(self) -> CsvBestand:
        return CsvBestand()

    def factuur(self, contract: Contract, borderel: Borderel, factuur: Factuur) -> bytes:
        # Imported here: a web worker that only downloads borderellen never loads fpdf.
        from portal.documents import factuur as factuur_pdf

        return factuur_pdf.maak(contract, borderel, factuur)


DOCUMENTEN = Documenten()


def lees_csv(borderel: Borderel) -> bytes:
    """The borderel file as downloaded."""
    return gzip.decompress(borderel.inhoud)
