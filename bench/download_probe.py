"""One download in a fresh process: time and peak RSS.

    python -m bench.download_probe URL soort [lijst]

``lijst`` is ``deelnemers`` (the full list of the 100,000-deelnemer contract, default) or
``stroom`` (that contract's in- en uitstroomlijst of the last whole year). ``xlsx`` and ``csv``
go through the real route (login, audit, query, file); ``xlsxwriter-alleen`` writes the same
rows, fetched beforehand, with bare xlsxwriter in constant-memory mode.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time

import xlsxwriter

from bench.common import bench_app, logged_in_client
from bench.generate import BIG_CONTRACT, TODAY

STROOM_JAAR = TODAY.year - 1


def _rijen(lijst: str, contract_id: int) -> tuple[list, list]:
    """The download's columns and rows, fetched up front."""
    if lijst == "stroom":
        from portal.blueprints.stroom import KOLOMMEN
        from portal.domain import stroom

        opdracht = stroom.Lijstopdracht(contract_id, stroom.Periode.jaar(STROOM_JAAR))
        return KOLOMMEN, list(stroom.export_rijen(opdracht))
    from portal.blueprints.deelnemers import KOLOMMEN
    from portal.domain.dates import vandaag
    from portal.domain.zoeken import export_rijen

    return KOLOMMEN, list(export_rijen([contract_id], vandaag()))


def _xlsxwriter_alleen(app, lijst: str) -> dict:
    from portal.extensions import db
    from portal.models import Contract

    with app.app_context():
        contract_id = db.session.query(Contract.id).filter_by(nummer=BIG_CONTRACT).scalar()
        KOLOMMEN, rijen = _rijen(lijst, contract_id)  # the route's constant
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    started = time.perf_counter()
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
    sheet = workbook.add_worksheet("Deelnemers")
    kop = workbook.add_format({"bold": True})
    datum = workbook.add_format({"num_format": "dd-mm-yyyy"})
    for index, kolom in enumerate(KOLOMMEN):
        sheet.set_column(index, index, kolom.breedte)
        sheet.write_string(0, index, kolom.kop, kop)
    sheet.freeze_panes(1, 0)
    for regel, rij in enumerate(rijen, start=1):
        for index, value in enumerate(rij):
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(regel, index, value)
            else:
                sheet.write_datetime(regel, index, value, datum)
    sheet.autofilter(0, 0, len(rijen), len(KOLOMMEN) - 1)
    workbook.close()
    seconden = time.perf_counter() - started
    grootte = os.path.getsize(path)
    os.unlink(path)
    return {"seconden": round(seconden, 2), "rijen": len(rijen), "bytes": grootte}


def _route(app, soort: str, lijst: str) -> dict:
    client = logged_in_client(app)
    url = (
        f"/in-en-uitstroomlijsten/download.{soort}?contract={BIG_CONTRACT}&periode={STROOM_JAAR}"
        if lijst == "stroom"
        else f"/deelnemers/download.{soort}?contract={BIG_CONTRACT}"
    )
    started = time.perf_counter()
    response = client.get(url)
    body = b"".join(response.response)
    seconden = time.perf_counter() - started
    assert response.status_code == 200, response.status_code
    rijen = body.count(b"\n") - 1 if soort == "csv" else None
    return {"seconden": round(seconden, 2), "bytes": len(body), "rijen": rijen}


def main() -> None:
    database_url, soort = sys.argv[1], sys.argv[2]
    lijst = sys.argv[3] if len(sys.argv) > 3 else "deelnemers"
    app = bench_app(database_url)
    rss_voor = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    uitkomst = _xlsxwriter_alleen(app, lijst) if soort == "xlsxwriter-alleen" else _route(app, soort, lijst)
    uitkomst["piek_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    uitkomst["rss_bij_start_mb"] = round(rss_voor, 1)
    print(json.dumps(uitkomst))


if __name__ == "__main__":
    main()
