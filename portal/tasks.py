"""Background work through huey: the upload phases and the periodic restart of stalled runs.

``SqliteHuey`` in ``instance/`` by default, ``RedisHuey`` when ``HUEY_REDIS_URL`` is set (several
machines); the tests switch on immediate mode, which runs each task inline. The consumer:
``huey_consumer portal.tasks.huey`` (``scripts/run`` starts it beside the web server).
"""

from __future__ import annotations

import os
from functools import wraps
from pathlib import Path

from flask import current_app, has_app_context
from huey import RedisHuey, SqliteHuey, crontab

INSTANCE = Path(__file__).resolve().parent.parent / "instance"


def _maak_huey():
    if os.environ.get("HUEY_REDIS_URL"):
        return RedisHuey("portal", url=os.environ["HUEY_REDIS_URL"])
    pad = Path(os.environ.get("HUEY_SQLITE_PATH") or INSTANCE / "huey.sqlite")
    pad.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("portal", filename=str(pad))


huey = _maak_huey()
_app = None


def _in_app(taak):
    """Run inside the web request's app (immediate mode) or this consumer's own app."""

    @wraps(taak)
    def wrapped(*args, **kwargs):
        global _app
        if has_app_context():
            return taak(*args, **kwargs)
        if _app is None:
            from portal import create_app

            _app = create_app()
        with _app.app_context():
            return taak(*args, **kwargs)

    return wrapped


@huey.task(retries=2, retry_delay=10)
@_in_app
def upload_controleren(upload_id: int) -> None:
    from portal.domain.dates import Vensters
    from portal.intake import uploads

    uploads.controleer(upload_id, Vensters.uit_settings(current_app.config))


@huey.task(retries=2, retry_delay=10)
@_in_app
def upload_verwerken(upload_id: int) -> None:
    """The upload loop is the edge: it commits every line (``uploads.verwerk``). The audit's
    access point is the request's in immediate mode (tests), else 'cli' (the consumer)."""
    from portal.domain.dates import Vensters
    from portal.intake import uploads
    from portal.web import audit

    uploads.verwerk(upload_id, Vensters.uit_settings(current_app.config), audit.toegang())


@huey.periodic_task(crontab(minute="*/5"))
@_in_app
def vastgelopen_uploads_hervatten() -> None:
    from portal.intake import uploads

    for upload in uploads.vastgelopen():
        if upload.status == "verwerken":
            upload_verwerken(upload.id)
        else:
            upload_controleren(upload.id)


@huey.periodic_task(crontab(day="1", hour="3", minute="0"))
@_in_app
def borderellen_maken() -> None:
    """On the first of each month at 03:00: the month's borderellen of every running contract.

    Idempotent, so a missed or repeated run is harmless (``flask borderellen-maken`` does the same).
    """
    from portal.cli import maak_borderellen
    from portal.domain.dates import vandaag

    maak_borderellen(vandaag())
