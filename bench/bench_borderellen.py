"""Generating one month's borderellen and facturen for all 200 contracts of the bench database.

On a copy of the database (generation writes), in a fresh process whose peak RSS is its own:
``maak_borderellen`` for the current month, as the monthly CLI run does (a commit per contract). Target:
under 60 s, and memory that stays flat (the lines stream; nothing holds a whole contract).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.generate import DEFAULT_DB

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, resource, sys, time
from datetime import date
from bench.common import bench_app
from portal.documents.borderel import DOCUMENTEN
from portal.domain import borderellen
from portal.cli import maak_borderellen
from portal.extensions import db
from portal.models import BorderelRegel

app = bench_app(sys.argv[1])
with app.app_context():
    rss_start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    uitkomsten = maak_borderellen(date.fromisoformat(sys.argv[2]))
    seconden = time.perf_counter() - started
    regels = db.session.query(BorderelRegel).count()
    print(json.dumps({
        "seconden": round(seconden, 1), "contracten": len(uitkomsten),
        "nieuw": sum(u.nieuw for u in uitkomsten), "regels": regels,
        "regels_per_seconde": round(regels / seconden),
        "piek_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "rss_bij_start_mb": round(rss_start, 1)}))
"""


def run(database_url: str) -> dict:
    """Copy the SQLite bench database, generate, report; PostgreSQL runs in place on a copy
    made with CREATE DATABASE ... TEMPLATE (not done here: SQLite only)."""
    if not database_url.startswith("sqlite:///"):
        return {"overgeslagen": "alleen SQLite"}
    bron = (
        Path(database_url.removeprefix("sqlite:///"))
        if database_url != f"sqlite:///{DEFAULT_DB}"
        else DEFAULT_DB
    )
    with tempfile.TemporaryDirectory() as tmp:
        kopie = Path(tmp) / "bench.sqlite"
        shutil.copyfile(bron, kopie)
        out = subprocess.run(
            [sys.executable, "-c", PROBE, f"sqlite:///{kopie}", "2026-11-01"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        ).stdout
    return json.loads(out.strip().splitlines()[-1])
