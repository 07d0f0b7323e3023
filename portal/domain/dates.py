"""The insurer's calendar: 'today' is the date in the Netherlands, not on the server's clock."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from portal.models.types import utcnow

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def vandaag() -> date:
    """Today's date in Europe/Amsterdam (a melding at 00:30 local time is tomorrow's in UTC terms)."""
    return utcnow().astimezone(AMSTERDAM).date()
