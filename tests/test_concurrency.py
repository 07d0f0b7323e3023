"""Concurrent meldingen against a real multi-worker server (gunicorn), on SQLite and PostgreSQL:
one deelname per person, a re-sent melding applied once, never a 500 or 'database is locked'."""

from __future__ import annotations

import base64
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.demo.people import bsn_generator
from portal.domain import credentials
from portal.domain.dates import vandaag
from portal.extensions import db
from portal.models import Deelname, Melding, Persoon
from tests import factories

pytestmark = pytest.mark.postgres

WACHTWOORD = "concurrency-wachtwoord-1234567890"
_bsns = bsn_generator("9995")
PARALLEL = 16


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(app):
    """gunicorn with 4 workers on the test's database, and a contract with API credentials."""
    org = factories.organisatie(naam="Druk B.V.", soort="werkgever")
    contract = factories.contract(org, naam="Druk B.V.")
    credentials.issue(org, "druk-api", WACHTWOORD)
    db.session.commit()
    poort = _vrije_poort()
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    proces = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "-w",
            "4",
            "-b",
            f"127.0.0.1:{poort}",
            "--log-level",
            "warning",
            "tests.concurrency_wsgi:create()",
        ],
        env={"TEST_APP_DATABASE_URL": uri, "PATH": "/usr/bin:/bin"},
        cwd=Path(__file__).resolve().parent.parent,
        stderr=subprocess.PIPE,
        text=True,
    )
    basis = f"http://127.0.0.1:{poort}"
    for _ in range(100):
        try:
            urllib.request.urlopen(basis + "/gezond", timeout=1)  # noqa: S310 - our own server
            break
        except OSError:
            time.sleep(0.1)
    yield basis, org, contract
    proces.terminate()
    _, stderr = proces.communicate(timeout=10)
    assert "database is locked" not in stderr
    assert "Traceback" not in stderr, stderr


def _post(basis: str, body: dict) -> tuple[int, dict]:
    auth = base64.b64encode(f"druk-api:{WACHTWOORD}".encode()).decode()
    request = urllib.request.Request(  # noqa: S310 - our own server over http
        basis + "/api/v1/meldingen",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Basic {auth}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def _aanmelding(org, contract, melding_id: str, bsn: str) -> dict:
    return {
        "melding_id": melding_id,
        "soort": "aanmelding",
        "kvk_nummer": org.kvk_nummer,
        "collectiviteitsnummer": contract.collectiviteitsnummer,
        "persoon": {
            "bsn": bsn,
            "voorletters": "P.",
            "achternaam": "Kowalski",
            "geslacht": "M",
            "geboortedatum": "1991-01-01",
            "nationaliteit": "Pools",
            "adres": {"straat": "Kade", "huisnummer": "1", "postcode": "2671 AB", "woonplaats": "Naaldwijk"},
        },
        "ingangsdatum": (vandaag() - timedelta(days=3)).isoformat(),
    }


def _tegelijk(basis: str, bodies: list[dict]) -> list[tuple[int, dict]]:
    with ThreadPoolExecutor(PARALLEL) as pool:
        return list(pool.map(lambda body: _post(basis, body), bodies))


def _telling(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_the_same_melding_sent_concurrently_is_applied_once(server):
    basis, org, contract = server
    bsn = next(_bsns)
    antwoorden = _tegelijk(basis, [_aanmelding(org, contract, "zelfde-id", bsn)] * 24)
    statussen = sorted(status for status, _ in antwoorden)
    assert statussen == [200] * 23 + [201], antwoorden
    assert len({body["relatienummer"] for _, body in antwoorden}) == 1
    assert _telling(Persoon, Persoon.bsn == bsn) == 1
    assert _telling(Deelname) == 1
    assert _telling(Melding, Melding.extern_id == "zelfde-id") == 1


def test_concurrent_aanmeldingen_of_one_person_make_one_deelname(server):
    basis, org, contract = server
    bsn = next(_bsns)
    bodies = [_aanmelding(org, contract, f"persoon-{i}", bsn) for i in range(24)]
    antwoorden = _tegelijk(basis, bodies)
    statussen = [status for status, _ in antwoorden]
    assert statussen.count(201) == 1 and statussen.count(422) == 23, antwoorden
    codes = {body["fouten"][0]["code"] for status, body in antwoorden if status == 422}
    assert codes == {"deelname_bestaat_al"}
    assert _telling(Persoon, Persoon.bsn == bsn) == 1
    assert _telling(Deelname) == 1
    assert _telling(Melding) == 24


def test_many_people_at_once_and_concurrent_afmeldingen(server):
    basis, org, contract = server
    bsns = [next(_bsns) for _ in range(40)]
    antwoorden = _tegelijk(basis, [_aanmelding(org, contract, f"p-{i}", b) for i, b in enumerate(bsns)])
    assert [s for s, _ in antwoorden] == [201] * 40
    assert len({body["relatienummer"] for _, body in antwoorden}) == 40
    afmelding = {
        "soort": "afmelding",
        "kvk_nummer": org.kvk_nummer,
        "collectiviteitsnummer": contract.collectiviteitsnummer,
        "persoon": {"bsn": bsns[0]},
        "einddatum": vandaag().isoformat(),
    }
    antwoorden = _tegelijk(basis, [{**afmelding, "melding_id": f"af-{i}"} for i in range(16)])
    statussen = [s for s, _ in antwoorden]
    assert statussen.count(201) == 1 and statussen.count(422) == 15, antwoorden
    assert _telling(Deelname, Deelname.einddatum.is_not(None)) == 1
