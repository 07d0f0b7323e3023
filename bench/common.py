"""Shared pieces for benchmarks: the app on the bench database, a logged-in client, timing."""

from __future__ import annotations

import re
import statistics
import time
from urllib.parse import parse_qs, urlparse

from portal import create_app
from portal.config import normalise_database_url


def bench_app(database_url: str):
    """The portal on the bench database, mock login on, rate limits off."""
    return create_app({"SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
                       "SECRET_KEY": "bench", "MOCK_EHERKENNING_ENABLED": True,
                       "RATELIMIT_ENABLED": False})


def _csrf(html: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', html)[1]


def logged_in_client(app, pseudoniem: str = "bench-admin", kvk: str = "99000000"):
    """A test client logged in through the mock eHerkenning flow."""
    client = app.test_client()
    start = client.post("/inloggen", data={"csrf_token": _csrf(client.get("/inloggen").text)})
    query = parse_qs(urlparse(start.headers["Location"]).query)
    page = client.get("/mock-eherkenning/middel", query_string={
        "state": query["state"][0], "audience": query["audience"][0], "leverancier": "KPN"})
    back = client.post("/mock-eherkenning/middel", data={
        "csrf_token": _csrf(page.text), "state": query["state"][0],
        "audience": query["audience"][0], "leverancier": "KPN", "middel": "eigen",
        "kvk_nummer": kvk, "pseudoniem": pseudoniem, "niveau": "loa3"})
    assert client.get(back.headers["Location"]).status_code == 302, "bench login failed"
    return client


def timed(fn, repeat: int) -> dict:
    """Run ``fn`` ``repeat`` times; median and p95 in milliseconds."""
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return {"median_ms": round(statistics.median(samples), 2),
            "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 2), "n": repeat}
