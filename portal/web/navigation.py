"""The dashboard's navigation, as in the manual, with the roles each item needs."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from portal.domain.rollen import ELKE_ROL, Rol
from portal.web.access import may


@dataclass(frozen=True)
class NavItem:
    """One entry of the left-hand navigation."""

    label: str
    endpoint: str
    rollen: frozenset[Rol]
    omschrijving: str


NAVIGATIE = [
    NavItem(
        "Huidige deelnemers",
        "deelnemers.index",
        frozenset({Rol.ADMINISTRATIEF}),
        "Deelnemers zoeken, bekijken, afmelden en de lijst downloaden.",
    ),
    NavItem(
        "Nieuwe deelnemer",
        "aanmelden.start",
        frozenset({Rol.ADMINISTRATIEF}),
        "Een cliënt en gezinsleden aanmelden voor de collectiviteit.",
    ),
    NavItem(
        "Upload aan- en afmeldingen",
        "upload.index",
        frozenset({Rol.ADMINISTRATIEF}),
        "Een bestand met aan- en afmeldingen controleren en verwerken.",
    ),
    NavItem(
        "In- en uitstroomlijsten",
        "stroom.index",
        frozenset({Rol.ADMINISTRATIEF}),
        "Wie er per periode in- en uitstroomde.",
    ),
    NavItem(
        "Borderellen",
        "borderellen.index",
        frozenset({Rol.FINANCIEEL}),
        "Borderellen en facturen per maand downloaden.",
    ),
    NavItem(
        "Verwerkingsverslagen",
        "verslagen.index",
        frozenset({Rol.ADMINISTRATIEF}),
        "De uitkomst van uploads en digitale meldingen.",
    ),
    NavItem(
        "Mislukte verwerkingen",
        "mislukt.index",
        frozenset({Rol.ADMINISTRATIEF}),
        "Afgekeurde meldingen corrigeren en opnieuw indienen.",
    ),
    NavItem(
        "Contract gebruik",
        "gebruik.index",
        frozenset({Rol.ADMINISTRATIEF, Rol.FINANCIEEL}),
        "Het aantal deelnemers per maand, met in- en uitstroom.",
    ),
    NavItem(
        "Contract gegevens",
        "contract.index",
        frozenset(ELKE_ROL),
        "De gegevens en contactpersonen van het contract.",
    ),
    NavItem(
        "Berichten",
        "berichten.index",
        frozenset(ELKE_ROL),
        "Bevestigingen en andere berichten over uw contract.",
    ),
    NavItem(
        "Accountbeheer",
        "accounts.index",
        frozenset({Rol.ACCOUNTBEHEER}),
        "Accounts van collega's aanmaken en rechten toekennen.",
    ),
    NavItem(
        "Koppeling salarisadministratie",
        "koppeling.index",
        frozenset({Rol.ACCOUNTBEHEER}),
        "De inloggegevens waarmee uw salarissoftware meldingen stuurt.",
    ),
    NavItem(
        "Contact", "contact.index", frozenset(ELKE_ROL), "Een vraag stellen aan de afdeling Zakelijke Markt."
    ),
]


def items_for_user() -> list[NavItem]:
    """The items the current user may use, of the screens this build has."""
    return [item for item in NAVIGATIE if item.endpoint in current_app.view_functions and may(item.rollen)]
