"""The dashboard's navigation, as in the manual, with the roles each item needs."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from portal.web.access import ACCOUNTBEHEER, ADMINISTRATIEF, ELKE_ROL, FINANCIEEL, may


@dataclass(frozen=True)
class NavItem:
    """One entry of the left-hand navigation."""

    label: str
    endpoint: str
    rollen: frozenset[str]
    omschrijving: str


NAVIGATIE = [
    NavItem("Huidige deelnemers", "deelnemers.index", frozenset({ADMINISTRATIEF}),
            "Deelnemers zoeken, bekijken, afmelden en de lijst downloaden."),
    NavItem("Nieuwe deelnemer", "aanmelden.start", frozenset({ADMINISTRATIEF}),
            "Een cliënt en gezinsleden aanmelden voor de collectiviteit."),
    NavItem("Upload aan- en afmeldingen", "upload.index", frozenset({ADMINISTRATIEF}),
            "Een bestand met aan- en afmeldingen controleren en verwerken."),
    NavItem("In- en uitstroomlijsten", "stroom.index", frozenset({ADMINISTRATIEF}),
            "Wie er per periode in- en uitstroomde."),
    NavItem("Borderellen", "borderellen.index", frozenset({FINANCIEEL}),
            "Borderellen en facturen per maand downloaden."),
    NavItem("Verwerkingsverslagen", "verslagen.index", frozenset({ADMINISTRATIEF}),
            "De uitkomst van uploads en digitale meldingen."),
    NavItem("Mislukte verwerkingen", "mislukt.index", frozenset({ADMINISTRATIEF}),
            "Afgekeurde meldingen corrigeren en opnieuw indienen."),
    NavItem("Contract gebruik", "gebruik.index", frozenset({ADMINISTRATIEF, FINANCIEEL}),
            "Het aantal deelnemers per maand, met in- en uitstroom."),
    NavItem("Contract gegevens", "contract.index", frozenset(ELKE_ROL),
            "De gegevens en contactpersonen van het contract."),
    NavItem("Berichten", "berichten.index", frozenset(ELKE_ROL),
            "Bevestigingen en andere berichten over uw contract."),
    NavItem("Accountbeheer", "accounts.index", frozenset({ACCOUNTBEHEER}),
            "Accounts van collega's aanmaken en rechten toekennen."),
    NavItem("Koppeling salarisadministratie", "koppeling.index", frozenset({ACCOUNTBEHEER}),
            "De inloggegevens waarmee uw salarissoftware meldingen stuurt."),
    NavItem("Contact", "contact.index", frozenset(ELKE_ROL),
            "Een vraag stellen aan de afdeling Zakelijke Markt."),
]


def items_for_user() -> list[NavItem]:
    """The items the current user may use, of the screens this build has."""
    return [
        item
        for item in NAVIGATIE
        if item.endpoint in current_app.view_functions and may(item.rollen)
    ]
