"""Shared pieces for benchmarks: the app on the bench database, a logged-in client, timing."""

from __future__ import annotations

import statistics
import time

from portal import create_app
from portal.config import normalise_database_url
from tests.login import mock_login


def bench_app(database_url: str):
    """The portal on the bench database, mock login on, rate limits off."""
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
            "SECRET_KEY": "bench",
            "MOCK_EHERKENNING_ENABLED": True,
            "RATELIMIT_ENABLED": False,
        }
    )


def logged_in_client(app, pseudoniem: str = "bench-admin", kvk: str = "99000000"):
    """A test client logged in through the mock eHerkenning flow."""
    client = app.test_client()
    assert mock_login(client, kvk, pseudoniem).status_code == 302, "bench login failed"
    return client


def timed(fn, repeat: int) -> dict:
    """Run ``fn`` ``repeat`` times; median and p95 in milliseconds."""
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return {
        "median_ms": round(statistics.median(samples), 2),
        "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 2),
        "n": repeat,
    }
