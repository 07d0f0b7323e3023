"""In- en uitstroomlijsten and Contract gebruik on the 100,000-deelnemer contract.

Server time through the WSGI app (no network), logged in, audit included:
* Contract gebruik over 5 years (target: at most 50 ms), and over the whole life (12 years);
* the first page of a year's in- en uitstroomlijst (target: at most 100 ms), and of
  "Toon alle deelnemers" and a sort on einddatum;
* the Excel of that year's list against xlsxwriter alone writing the same rows (target: at
  most 1.2 times), each in a fresh process, three interleaved rounds, medians.
"""

from __future__ import annotations

from bench.bench_deelnemers import download
from bench.common import bench_app, logged_in_client, timed
from bench.download_probe import STROOM_JAAR
from bench.generate import BIG_CONTRACT


def _pagina(client, url: str):
    def once():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    once()
    return timed(once, 30)


def run(database_url: str) -> dict:
    app = bench_app(database_url)
    client = logged_in_client(app)
    lijst = f"/in-en-uitstroomlijsten?contract={BIG_CONTRACT}&periode={STROOM_JAAR}"
    resultaat = {
        "contract_gebruik_5_jaar": _pagina(client, f"/contract-gebruik?contract={BIG_CONTRACT}&periode=60"),
        "contract_gebruik_hele_looptijd": _pagina(
            client, f"/contract-gebruik?contract={BIG_CONTRACT}&periode=alles"
        ),
        "stroomlijst_jaar_eerste_pagina": _pagina(client, lijst),
        "stroomlijst_jaar_alle_deelnemers": _pagina(client, f"{lijst}&weergave=alle"),
        "stroomlijst_jaar_op_einddatum": _pagina(client, f"{lijst}&sorteer=-einddatum"),
    }
    rondes = {soort: [] for soort in ("xlsxwriter-alleen", "xlsx")}
    for _ in range(3):
        for soort in rondes:
            rondes[soort].append(download(database_url, soort, "stroom"))
    excel = {}
    for soort, metingen in rondes.items():
        metingen.sort(key=lambda m: m["seconden"])
        excel[soort] = {**metingen[1], "seconden_alle_rondes": [m["seconden"] for m in metingen]}
    excel["xlsx"]["verhouding_tot_xlsxwriter"] = round(
        excel["xlsx"]["seconden"] / excel["xlsxwriter-alleen"]["seconden"], 2
    )
    resultaat["excel_jaar"] = excel
    return resultaat
