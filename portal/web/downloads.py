"""Sending downloads: an export built by ``portal.documents.exports`` goes out as a file, and the
personal-data downloads share one rate limit per logged-in user."""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app, send_file
from flask_login import current_user

from portal.documents.exports import XLSX_MIMETYPE, Kolom, xlsx_bestand


def xlsx_download(kolommen: list[Kolom], rijen: Iterable[tuple], blad: str, naam: str):
    """The rows as an Excel download named ``naam``."""
    return send_file(
        xlsx_bestand(kolommen, rijen, blad), as_attachment=True, download_name=naam, mimetype=XLSX_MIMETYPE
    )


def export_limiet() -> str:
    """The rate limit of the personal-data downloads (a setting), for ``limiter.limit``."""
    return current_app.config["RATELIMIT_EXPORT"]


def per_gebruiker() -> str:
    """Rate limit key: the logged-in user, not the address (offices share one)."""
    return f"gebruiker:{current_user.get_id()}"
