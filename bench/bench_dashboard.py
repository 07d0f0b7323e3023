"""Server time of the dashboard for a user with all 200 contracts (access scope + navigation)."""

from __future__ import annotations

from bench.common import bench_app, logged_in_client, timed


def run(database_url: str) -> dict:
    """Median and p95 of GET / through the WSGI app (no network)."""
    app = bench_app(database_url)
    client = logged_in_client(app)

    def once():
        response = client.get("/")
        assert response.status_code == 200

    once()
    return {"dashboard": timed(once, 300)}
