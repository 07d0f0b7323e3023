"""Excel and CSV exports: streamed, typed, and never read as a formula (``portal.web.downloads``
sends them).

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return could be taken
for a formula by a spreadsheet (CSV injection). In Excel such text gets the "quote prefix"
style (shown as typed, kept as text); in CSV it gets a leading apostrophe, as OWASP advises.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

import xlsxwriter

from portal.extensions import db

GEVAARLIJK = ("=", "+", "-", "@", "\t", "\r")
TEKST = "tekst"
DATUM = "datum"
GETAL = "getal"


XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Kolom:
    kop: str
    breedte: int
    soort: str = TEKST


def csv_veilig(value: str) -> str:
    """Neutralised text for a CSV cell."""
    return "'" + value if value.startswith(GEVAARLIJK) else value


def xlsx_bestand(kolommen: list[Kolom], rijen: Iterable[tuple], blad: str) -> io.BufferedReader:
    """Write the rows to an .xlsx in constant-memory mode; an open, already unlinked file.

    Constant-memory mode writes each row to disk as it comes, so 100,000 rows take a few MB.
    """
    fd, path = tempfile.mkstemp(suffix=".xlsx", prefix="export-")
    os.close(fd)
    try:
        workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
        sheet = workbook.add_worksheet(blad)
        kop = workbook.add_format(
            {
                "bold": True,
                "font_color": "#FFFFFF",
                "bg_color": "#00508C",
                "border": 1,
                "text_wrap": True,
                "valign": "top",
            }
        )
        datum = workbook.add_format({"num_format": "dd-mm-yyyy", "align": "left"})
        citaat = workbook.add_format({"quote_prefix": True})
        for index, kolom in enumerate(kolommen):
            sheet.set_column(index, index, kolom.breedte, datum if kolom.soort == DATUM else None)
        for index, kolom in enumerate(kolommen):
            sheet.write_string(0, index, kolom.kop, kop)
        sheet.freeze_panes(1, 0)
        schrijvers = [
            _datumschrijver(sheet, datum)
            if k.soort == DATUM
            else sheet.write_number
            if k.soort == GETAL
            else _tekstschrijver(sheet, citaat)
            for k in kolommen
        ]
        regel = 0
        with _kleine_paginacache():
            for regel, rij in enumerate(rijen, start=1):  # the count is used below
                for index, value in enumerate(rij):
                    if value is not None:
                        schrijvers[index](regel, index, value)
        sheet.autofilter(0, 0, max(regel, 1), len(kolommen) - 1)
        workbook.close()
        handle = open(path, "rb")  # handed to the response, which closes it
    finally:
        os.unlink(path)
    return handle


def _datumschrijver(sheet, opmaak):
    write_datetime = sheet.write_datetime

    def schrijf(regel: int, kolom: int, value) -> None:
        write_datetime(regel, kolom, value, opmaak)

    return schrijf


def _tekstschrijver(sheet, citaat):
    write_string = sheet.write_string

    def schrijf(regel: int, kolom: int, value: str) -> None:
        if value[:1] in GEVAARLIJK:
            write_string(regel, kolom, value, citaat)
        else:
            write_string(regel, kolom, value)

    return schrijf


def csv_stroom(kolommen: list[Kolom], rijen: Iterable[tuple], batch: int = 500) -> Iterator[bytes]:
    """';'-separated UTF-8 with a BOM (so Excel reads the accents), dates as dd-mm-jjjj."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow([k.kop for k in kolommen])
    with _kleine_paginacache():
        for teller, rij in enumerate(rijen, start=1):
            writer.writerow(
                [
                    ""
                    if value is None
                    else value.strftime("%d-%m-%Y")
                    if isinstance(value, date)
                    else str(value)
                    if isinstance(value, int)
                    else csv_veilig(value)
                    for value in rij
                ]
            )
            if teller % batch == 0:
                yield buffer.getvalue().encode("utf-8")
                buffer.seek(0)
                buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


@contextmanager
def _kleine_paginacache(kib: int = 2000):
    """On SQLite, read an export through a small page cache. A list of 100,000 rows reads each
    page once, and the connection's usual 32 MB cache (``portal/__init__.py``) would fill with
    pages nobody reads again: the download's memory would grow by that much."""
    conn = db.session.connection()
    if conn.dialect.name != "sqlite":
        yield
        return
    gewoon = int(conn.exec_driver_sql("PRAGMA cache_size").scalar())
    conn.exec_driver_sql(f"PRAGMA cache_size=-{int(kib)}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={gewoon}")
