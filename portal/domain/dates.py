"""The insurer's calendar: 'today' is the date in the Netherlands, not on the server's clock."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from portal.models.types import utcnow

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MAANDEN = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


def vandaag() -> date:
    """Today's date in Europe/Amsterdam (a melding at 00:30 local time is tomorrow's in UTC terms)."""
    return utcnow().astimezone(AMSTERDAM).date()


def eerste_dag(dag: date) -> date:
    """The first day of ``dag``'s month."""
    return dag.replace(day=1)


def laatste_dag(dag: date) -> date:
    """The last day of ``dag``'s month."""
    return dag.replace(day=calendar.monthrange(dag.year, dag.month)[1])


def volgende_maand(dag: date) -> date:
    """The first day of the month after ``dag``'s."""
    return date(dag.year + dag.month // 12, dag.month % 12 + 1, 1)


def vorige_maand(dag: date) -> date:
    """The first day of the month before ``dag``'s."""
    return date(dag.year - (dag.month == 1), (dag.month - 2) % 12 + 1, 1)


def maandnaam(dag: date) -> str:
    """'december 2026'."""
    return f"{MAANDEN[dag.month - 1]} {dag.year}"


def dd_mm_jjjj(day: date) -> str:
    """A date as users read and type it (the domain's messages use it)."""
    return day.strftime("%d-%m-%Y")


@dataclass(frozen=True)
class Venster:
    """How far a date a melding names (ingangsdatum, einddatum) may lie before and after today.

    The defaults are those of ``portal.config``; the edge (view, API, upload task) passes the
    app's settings in through ``uit_settings``, the domain never reads them itself.
    """

    dagen_terug: int = 120
    dagen_vooruit: int = 365

    @classmethod
    def uit_settings(cls, settings: Mapping, soort: str) -> Venster:
        """``soort`` 'AANMELDING' or 'AFMELDING': the ``<soort>_MAX_DAGEN_TERUG/_VOORUIT`` settings."""
        return cls(settings[f"{soort}_MAX_DAGEN_TERUG"], settings[f"{soort}_MAX_DAGEN_VOORUIT"])

    def vroegst(self, vandaag: date) -> date:
        return vandaag - timedelta(days=self.dagen_terug)

    def laatst(self, vandaag: date) -> date:
        return vandaag + timedelta(days=self.dagen_vooruit)


@dataclass(frozen=True)
class Vensters:
    """Both windows, for the intake that handles aanmeldingen, afmeldingen and wijzigingen alike:
    an ingangsdatum falls in ``aanmelding``'s, an einddatum in ``afmelding``'s."""

    aanmelding: Venster = Venster()
    afmelding: Venster = Venster()

    @classmethod
    def uit_settings(cls, settings: Mapping) -> Vensters:
        """The ``AANMELDING_*`` and ``AFMELDING_*`` settings (the app's config, passed in)."""
        return cls(Venster.uit_settings(settings, "AANMELDING"), Venster.uit_settings(settings, "AFMELDING"))


# The windows of portal.config's defaults, for callers (tests, scripts) that pass no settings.
STANDAARD_VENSTERS = Vensters()
