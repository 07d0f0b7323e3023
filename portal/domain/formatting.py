"""How the portal writes dates, moments and amounts, the same on every screen, document and export.

Plain functions without Flask: the templates use them as filters (``portal.web.templating``), the
PDFs (``portal.documents``) call them directly.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from portal.domain.dates import AMSTERDAM, dd_mm_jjjj


def datum(value: date | datetime | None) -> str:
    """dd-mm-jjjj; timestamps in Amsterdam time."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(AMSTERDAM)
    return dd_mm_jjjj(value)


def tijdstip(value: datetime | None) -> str:
    """dd-mm-jjjj uu:mm in Amsterdam time."""
    if value is None:
        return ""
    return value.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M")


def euro(value: Decimal | None) -> str:
    """€ 1.234,56."""
    if value is None:
        return ""
    text = f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"€ {text}"
