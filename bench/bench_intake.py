"""Intake: sustained API meldingen with 8 concurrent clients, one per request and in batches of
50, beside the same server's trivial endpoint (/gezond) in the same run, and a 10,000-line upload
(read, dry run, processing).

Runs on a copy of the bench database (SQLite) so the 1,000,000 deelnemers stay as generated.
gunicorn with 2 sync workers; the clients are 8 threads of keep-alive HTTP connections in this
process, the same client for both endpoints, so the ratio compares the server's work.
"""

from __future__ import annotations

import base64
import http.client
import itertools
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from bench.common import bench_app
from bench.generate import BIG_CONTRACT
from portal.config import normalise_database_url
from portal.demo.people import bsn_generator
from portal.domain import credentials
from portal.domain.dates import vandaag
from portal.extensions import db
from portal.models import ApiCredential, Contract, Gebruiker
from portal.transaction import transaction

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 8
DUUR = float(os.environ.get("BENCH_INTAKE_DUUR", "8"))
UPLOAD_REGELS = 10_000
# Meldingen per batch request: a payroll run sends its changes together.
BATCH = 50
WACHTWOORD = "bench-intake-wachtwoord-0123456789"


def _kopie(database_url: str) -> str:
    """A copy of a SQLite bench database (PostgreSQL is used as it is: it gains the meldingen)."""
    if not database_url.startswith("sqlite:///"):
        return database_url
    bron = Path(database_url.removeprefix("sqlite:///"))
    doel = bron.with_name("intake-kopie.sqlite")
    # A journal left by an interrupted run would be replayed onto the fresh copy and corrupt it.
    for rest in (doel, doel.with_name(doel.name + "-wal"), doel.with_name(doel.name + "-shm")):
        rest.unlink(missing_ok=True)
    shutil.copyfile(bron, doel)
    return f"sqlite:///{doel}"


def _voorbereiden(database_url: str) -> dict:
    app = bench_app(database_url)
    with app.app_context():
        db.create_all()  # tables newer than the generated database
        contract = db.session.scalar(select(Contract).where(Contract.nummer == BIG_CONTRACT))
        bestaat = select(ApiCredential).where(ApiCredential.gebruikersnaam == "bench-api")
        if db.session.scalar(bestaat) is None:
            credentials.issue(contract.organisatie, "bench-api", WACHTWOORD)
            db.session.commit()
        gegevens = {"kvk": contract.organisatie.kvk_nummer, "collectiviteit": contract.collectiviteitsnummer}
    return gegevens


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _belast(poort: int, verzoek, duur: float) -> dict:
    """``CLIENTS`` threads send ``verzoek(conn)`` for ``duur`` seconds; rate, p95 and statuses."""
    eind = time.perf_counter() + duur
    tijden: list[float] = []
    statussen: dict[int, int] = {}
    slot = threading.Lock()

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", poort, timeout=30)
        eigen, eigen_status = [], {}
        while time.perf_counter() < eind:
            t0 = time.perf_counter()
            status = verzoek(conn)
            eigen.append(time.perf_counter() - t0)
            eigen_status[status] = eigen_status.get(status, 0) + 1
        conn.close()
        with slot:
            tijden.extend(eigen)
            for k, v in eigen_status.items():
                statussen[k] = statussen.get(k, 0) + v

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    verstreken = time.perf_counter() - start
    tijden.sort()
    return {
        "per_seconde": round(len(tijden) / verstreken, 1),
        "n": len(tijden),
        "mediaan_ms": round(statistics.median(tijden) * 1000, 1),
        "p95_ms": round(tijden[int(len(tijden) * 0.95) - 1] * 1000, 1),
        "statussen": statussen,
    }


def _api(database_url: str, gegevens: dict) -> dict:
    poort = _vrije_poort()
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
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", poort), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)

        def gezond(conn) -> int:
            conn.request("GET", "/gezond")
            response = conn.getresponse()
            response.read()
            return response.status

        auth = "Basic " + base64.b64encode(f"bench-api:{WACHTWOORD}".encode()).decode()
        bsns = bsn_generator("8")
        teller = itertools.count()
        slot = threading.Lock()
        ingang = (vandaag() - timedelta(days=3)).isoformat()

        def aanmelding() -> dict:
            with slot:
                n, bsn = next(teller), next(bsns)
            return {
                "melding_id": f"bench-{n}",
                "soort": "aanmelding",
                "kvk_nummer": gegevens["kvk"],
                "collectiviteitsnummer": gegevens["collectiviteit"],
                "persoon": {
                    "bsn": bsn,
                    "voorletters": "B.",
                    "achternaam": f"Bench{n}",
                    "geslacht": "M",
                    "geboortedatum": "1990-01-01",
                    "nationaliteit": "Pools",
                    "adres": {
                        "straat": "Weg",
                        "huisnummer": "1",
                        "postcode": "2671 AB",
                        "woonplaats": "Naaldwijk",
                    },
                },
                "ingangsdatum": ingang,
            }

        def post(conn, pad: str, body: dict) -> tuple[int, bytes]:
            conn.request(
                "POST",
                pad,
                body=json.dumps(body),
                headers={"Authorization": auth, "Content-Type": "application/json"},
            )
            response = conn.getresponse()
            return response.status, response.read()

        def melding(conn) -> int:
            return post(conn, "/api/v1/meldingen", aanmelding())[0]

        def batch(conn) -> int:
            status, body = post(
                conn, "/api/v1/meldingen/batch", {"meldingen": [aanmelding() for _ in range(BATCH)]}
            )
            verwerkt = sum(r["http_status"] == 201 for r in json.loads(body)["resultaten"])
            return status if verwerkt == BATCH else -status

        gezond(http.client.HTTPConnection("127.0.0.1", poort))
        triviaal = _belast(poort, gezond, DUUR)
        meldingen = _belast(poort, melding, DUUR)
        batches = _belast(poort, batch, DUUR)
        per_seconde = round(batches["per_seconde"] * BATCH, 1)
        return {
            "triviaal /gezond": triviaal,
            "POST /api/v1/meldingen (aanmelding)": meldingen,
            "verhouding": round(meldingen["per_seconde"] / triviaal["per_seconde"], 2),
            f"POST /api/v1/meldingen/batch ({BATCH} aanmeldingen)": {
                **batches,
                "meldingen_per_seconde": per_seconde,
                "verhouding": round(per_seconde / triviaal["per_seconde"], 2),
            },
        }
    finally:
        server.terminate()
        server.wait(timeout=10)


def _upload(database_url: str, gegevens: dict) -> dict:
    from portal.intake import uploads

    app = bench_app(database_url)
    bsns = bsn_generator("7")
    ingang = (vandaag() - timedelta(days=3)).strftime("%d-%m-%Y")
    regels = [
        "Soort;BSN;Voorletters;Achternaam;Geslacht;Geboortedatum;Nationaliteit;Straat;Huisnummer;"
        "Postcode;Woonplaats;Ingangsdatum"
    ]
    regels += [
        f"aanmelding;{next(bsns)};U.;Upload{i};V;12-04-1990;Pools;Havenweg;3;2671 AB;Naaldwijk;{ingang}"
        for i in range(UPLOAD_REGELS)
    ]
    inhoud = ("\ufeff" + "\r\n".join(regels) + "\r\n").encode()
    with app.app_context():
        contract = db.session.scalar(select(Contract).where(Contract.nummer == BIG_CONTRACT))
        gebruiker = db.session.scalar(select(Gebruiker).where(Gebruiker.pseudoniem == "bench-admin"))
        t0 = time.perf_counter()
        with transaction():  # as the upload view does
            upload = uploads.ontvang_bestand(inhoud, "bench.csv", contract, gebruiker, UPLOAD_REGELS)
        t1 = time.perf_counter()
        uploads.controleer(upload.id)
        t2 = time.perf_counter()
        with transaction():
            uploads.start_verwerking(upload)
        uploads.verwerk(upload.id)
        t3 = time.perf_counter()
        piek = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        db.session.refresh(upload)
        return {
            "regels": upload.totaal,
            "inlezen_s": round(t1 - t0, 2),
            "controle_s": round(t2 - t1, 2),
            "verwerking_s": round(t3 - t2, 2),
            "verwerkt": upload.verwerkt,
            "afgekeurd": upload.afgekeurd,
            "regels_per_seconde_verwerking": round(upload.totaal / (t3 - t2), 1),
            "piek_rss_mb": round(piek / 1e6, 1),
        }


def run(database_url: str) -> dict:
    url = _kopie(normalise_database_url(database_url))
    gegevens = _voorbereiden(url)
    uitkomst = {"api": _api(url, gegevens)}
    print("api", json.dumps(uitkomst["api"]), flush=True)
    uitkomst["upload"] = _upload(url, gegevens)
    if url != database_url and url.startswith("sqlite:///"):
        kopie = Path(url.removeprefix("sqlite:///"))
        for rest in (kopie, kopie.with_name(kopie.name + "-wal"), kopie.with_name(kopie.name + "-shm")):
            rest.unlink(missing_ok=True)
    return uitkomst
