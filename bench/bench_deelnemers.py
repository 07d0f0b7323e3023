"""Huidige deelnemers under load, and the full-list downloads.

Search: gunicorn with 2 sync workers, wrk with 2 threads and 16 connections on 127.0.0.1, each
kind of search on the 100,000-deelnemer contract and on "Alle contracten" (200 contracts,
1,000,000 deelnemers), beside the reference page (the same fragment with 25 fixed rows, no
login, no database), every case once in each of three rounds (``BENCH_RONDES``, ``BENCH_DUUR``
per run). Target: at least half the reference throughput, p95 at most 20 ms.

Downloads: each in a fresh process (so its peak RSS is its own), through the real route, for
the 100,000-deelnemer contract; xlsxwriter alone writing the same rows is the reference.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from sqlalchemy import create_engine, text

from bench.generate import BIG_CONTRACT
from bench.http import HttpClient
from portal.config import normalise_database_url
from tests.login import csrf_token, mock_login

ROOT = Path(__file__).resolve().parent.parent
DUUR = os.environ.get("BENCH_DUUR", "4s")
# Every case, the reference included, is measured once per round.
RONDES = int(os.environ.get("BENCH_RONDES", "3"))
REFERENTIE = "referentie (25 vaste rijen)"

LUA = """
wrk.method = "{method}"
wrk.body = {body}
{headers}
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format('{{"rps": %.1f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, '
    .. '"fouten": %d, "niet_2xx": %d, "requests": %d}}\\n',
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, errors,
    summary.errors.status, summary.requests))
end
"""


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# wrk stops sending, but requests it left queued at the workers still run (a full list of all
# contracts takes a second each): before the next case, wait until a trivial request is answered
# at once again, so they do not count against it.
RUST_S = 1


def _wacht_tot_rustig(url: str) -> None:
    basis = url.split("/", 3)[:3]
    gezond = "/".join(basis) + "/gezond"
    time.sleep(RUST_S)
    for _ in range(600):
        t0 = time.perf_counter()
        urllib.request.urlopen(gezond, timeout=60).read()
        if time.perf_counter() - t0 < 0.05:
            return
    raise RuntimeError("de server blijft bezig")


def _wrk(url: str, method: str = "GET", body: str | None = None, headers: dict | None = None) -> dict:
    lines = "\n".join(f'wrk.headers["{k}"] = {json.dumps(v)}' for k, v in (headers or {}).items())
    script = LUA.format(method=method, body=json.dumps(body) if body else "nil", headers=lines)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    try:
        out = subprocess.run(
            ["wrk", "-t2", "-c16", f"-d{DUUR}", "-s", f.name, url], capture_output=True, text=True, check=True
        ).stdout
    finally:
        os.unlink(f.name)
    _wacht_tot_rustig(url)
    return json.loads(out.strip().splitlines()[-1])


def _voorbeelden(database_url: str) -> dict:
    """A real person of the big contract to search for, by each identifier."""
    engine = create_engine(normalise_database_url(database_url))
    with engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT p.bsn, p.relatienummer, p.geboortedatum FROM deelname d "
                "JOIN persoon p ON p.id = d.persoon_id JOIN contract c ON c.id = d.contract_id "
                "WHERE c.nummer = :n AND d.einddatum IS NULL ORDER BY d.id LIMIT 1 OFFSET 500"
            ),
            {"n": BIG_CONTRACT},
        ).one()
    engine.dispose()
    geboren = row.geboortedatum
    if isinstance(geboren, str):
        geboren = __import__("datetime").date.fromisoformat(geboren)
    return {"bsn": row.bsn, "relatienummer": row.relatienummer, "geboortedatum": geboren.strftime("%d-%m-%Y")}


def _zoeken(database_url: str) -> dict:
    poort = _vrije_poort()
    base = f"http://127.0.0.1:{poort}"
    env = {**os.environ, "BENCH_DATABASE_URL": database_url}
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{poort}",
            "--log-level",
            "warning",
            "bench.wsgi:create()",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        client = HttpClient(base)
        for _ in range(100):
            try:
                if client.get("/gezond").status_code == 200:
                    break
            except OSError:
                time.sleep(0.1)
        login = mock_login(client, "99000000", "bench-admin")
        assert login.status_code == 302, login.text
        token = csrf_token(client.get("/deelnemers?contract=" + BIG_CONTRACT).text)
        cookie = client.cookie_header()
        hx = {"Cookie": cookie, "HX-Request": "true"}
        voorbeeld = _voorbeelden(database_url)
        gevallen = {REFERENTIE: (f"{base}/bench/vast", "GET", None, {})}
        for scope, contract in (("contract 100000", BIG_CONTRACT), ("alle contracten", "")):
            zoektermen = {
                "achternaam 'Dijk' (gewoon)": {"achternaam": "Dijk"},
                "achternaam 'Jansen' (de meest voorkomende)": {"achternaam": "Jansen"},
                "achternaam 'van der Berg' (met voorvoegsel)": {"achternaam": "van der Berg"},
                "relatienummer": {"relatienummer": voorbeeld["relatienummer"]},
                "geboortedatum": {"geboortedatum": voorbeeld["geboortedatum"]},
                "zonder zoekterm (volledige lijst)": {},
            }
            for naam, params in zoektermen.items():
                query = "&".join(f"{k}={v}" for k, v in {**params, "contract": contract}.items() if v)
                gevallen[f"{scope}: {naam}"] = (
                    f"{base}/deelnemers?{query}".replace(" ", "+"),
                    "GET",
                    None,
                    hx,
                )
            body = f"csrf_token={token}&bsn={voorbeeld['bsn']}&contract={contract}"
            gevallen[f"{scope}: BSN (POST)"] = (
                f"{base}/deelnemers",
                "POST",
                body,
                {**hx, "X-CSRFToken": token, "Content-Type": "application/x-www-form-urlencoded"},
            )
        rondes = []
        for _ in range(RONDES):
            rondes.append(
                {
                    naam: _wrk(url, method, body, headers)
                    for naam, (url, method, body, headers) in gevallen.items()
                }
            )
    finally:
        server.terminate()
        server.wait(timeout=10)
    return _samenvatting(rondes)


def _samenvatting(rondes: list[dict]) -> dict:
    """Per case the median round, and the ratio as the median of each round's ratio to the
    reference measured in that same round (this machine's speed drifts by 10% and more between
    minutes; a ratio within one round compares like with like)."""
    uitkomsten = {}
    for naam in rondes[0]:
        metingen = sorted((r[naam] for r in rondes), key=lambda m: m["rps"])
        verhoudingen = sorted(r[naam]["rps"] / r[REFERENTIE]["rps"] for r in rondes)
        uitkomst = {
            **metingen[len(metingen) // 2],
            "rps_per_ronde": [r[naam]["rps"] for r in rondes],
            "p95_ms_per_ronde": [r[naam]["p95_ms"] for r in rondes],
            "verhouding": round(verhoudingen[len(verhoudingen) // 2], 2),
            "verhouding_per_ronde": [round(v, 2) for v in verhoudingen],
        }
        uitkomst["haalt_doel"] = naam == REFERENTIE or (
            uitkomst["verhouding"] >= 0.5 and uitkomst["p95_ms"] <= 20
        )
        uitkomsten[naam] = uitkomst
    return uitkomsten


def download(database_url: str, soort: str, lijst: str = "deelnemers") -> dict:
    """One download measured in a fresh process (``bench.download_probe``)."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.download_probe", database_url, soort, lijst],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def run(database_url: str) -> dict:
    """Search throughput and latency in ``RONDES`` rounds, then the downloads (three interleaved
    rounds): this shared machine's speed drifts, so each figure is a median of rounds."""
    resultaat = {"zoeken": _zoeken(database_url)}
    soorten = ("xlsxwriter-alleen", "xlsx", "csv")
    rondes = {soort: [] for soort in soorten}
    for _ in range(3):
        for soort in soorten:
            rondes[soort].append(download(database_url, soort))
    downloads = {}
    for soort, metingen in rondes.items():
        metingen.sort(key=lambda m: m["seconden"])
        downloads[soort] = {
            **metingen[1],
            "seconden_alle_rondes": [m["seconden"] for m in metingen],
            "piek_rss_mb_max": max(m["piek_rss_mb"] for m in metingen),
        }
    downloads["xlsx"]["verhouding_tot_xlsxwriter"] = round(
        downloads["xlsx"]["seconden"] / downloads["xlsxwriter-alleen"]["seconden"], 2
    )
    resultaat["downloads"] = downloads
    return resultaat
