"""The one table of every route and the roles that may use it.

Every screen adds its routes here; ``test_access.py`` checks each route for every role,
anonymously, and with a contract the user does not have. ``{contract}`` in a path (or in a
field name) is filled with the user's own contract (allowed) or a foreign one (must answer
404); ``{persoon}`` likewise with the relatienummer of a deelnemer of that contract, ``{polis}``
with a polisnummer of that deelnemer, ``{upload}`` with an upload of that contract, ``{melding}`` with an
afgekeurde melding of it, ``{borderel}`` with the id of a borderel of that contract,
``{bericht}`` with a bericht of that contract, ``{account}`` with a colleague's account of the
contract's organisation, ``{aanvraag}`` with an open account request for that organisation, and
``{concept}`` with a wizard draft of the user's own login session for that contract (a foreign
one: another user's draft).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

ADMIN = "administratief"
FIN = "financieel"
BEHEER = "accountbeheer"
ALLE = frozenset({ADMIN, FIN, BEHEER})


@dataclass(frozen=True)
class Route:
    """A route, the roles that may use it, and a valid request body for POSTs."""

    method: str
    path: str
    rollen: frozenset[str]
    data: dict = field(default_factory=dict)


ROUTES = [
    Route("GET", "/", ALLE),
    Route("GET", "/contact", ALLE),
    Route("POST", "/contact", ALLE, {"onderwerp": "Vraag", "vraag": "Hoe werkt dit?"}),
    Route("POST", "/uitloggen", ALLE),
    Route("GET", "/deelnemers", frozenset({ADMIN})),
    Route("GET", "/deelnemers?contract={contract}", frozenset({ADMIN})),
    Route("POST", "/deelnemers", frozenset({ADMIN}), {"achternaam": "Alfa"}),
    Route("POST", "/deelnemers", frozenset({ADMIN}), {"contract": "{contract}"}),
    Route("GET", "/deelnemers/{persoon}", frozenset({ADMIN})),
    Route("GET", "/deelnemers/{persoon}/afmelden/{contract}", frozenset({ADMIN})),
    Route(
        "POST",
        "/deelnemers/{persoon}/afmelden/{contract}",
        frozenset({ADMIN}),
        {
            "af-{persoon}-{contract}-einddatum": date.today().strftime("%d-%m-%Y"),
            "af-{persoon}-{contract}-reden": "einde_collectiviteit",
        },
    ),
    Route("GET", "/deelnemers/download.xlsx", frozenset({ADMIN})),
    Route("GET", "/deelnemers/download.xlsx?contract={contract}", frozenset({ADMIN})),
    Route("GET", "/deelnemers/download.csv?contract={contract}", frozenset({ADMIN})),
    Route("GET", "/nieuwe-deelnemer", frozenset({ADMIN})),
    Route("POST", "/nieuwe-deelnemer", frozenset({ADMIN}), {"contract": "{contract}"}),
    Route("GET", "/nieuwe-deelnemer/{concept}/client", frozenset({ADMIN})),
    Route("POST", "/nieuwe-deelnemer/{concept}/client", frozenset({ADMIN}), {"achternaam": "Alfa"}),
    Route("GET", "/nieuwe-deelnemer/{concept}/gezinsleden", frozenset({ADMIN})),
    Route("POST", "/nieuwe-deelnemer/{concept}/gezinsleden", frozenset({ADMIN}), {"actie": "kind"}),
    Route("GET", "/nieuwe-deelnemer/{concept}/verzekering", frozenset({ADMIN})),
    Route("POST", "/nieuwe-deelnemer/{concept}/verzekering", frozenset({ADMIN})),
    Route("GET", "/nieuwe-deelnemer/{concept}/bevestiging", frozenset({ADMIN})),
    Route("GET", "/deelnemers/{persoon}/bijschrijven/{contract}", frozenset({ADMIN})),
    Route("POST", "/deelnemers/{persoon}/bijschrijven/{contract}", frozenset({ADMIN})),
    Route("GET", "/polisbladen/{polis}.pdf", frozenset({ADMIN})),
    Route("GET", "/upload", frozenset({ADMIN})),
    Route("POST", "/upload", frozenset({ADMIN}), {"contract": "{contract}"}),
    Route("GET", "/upload/sjabloon.xlsx?contract={contract}", frozenset({ADMIN})),
    Route("GET", "/upload/sjabloon.csv?contract={contract}", frozenset({ADMIN})),
    Route("GET", "/upload/{upload}", frozenset({ADMIN})),
    Route("GET", "/upload/{upload}/voortgang", frozenset({ADMIN})),
    Route("POST", "/upload/{upload}/verwerken", frozenset({ADMIN})),
    Route("POST", "/upload/{upload}/annuleren", frozenset({ADMIN})),
    Route("GET", "/verwerkingsverslagen", frozenset({ADMIN})),
    Route("GET", "/verwerkingsverslagen?contract={contract}", frozenset({ADMIN})),
    Route("GET", "/verwerkingsverslagen/upload/{upload}", frozenset({ADMIN})),
    Route("GET", "/verwerkingsverslagen/upload/{upload}.xlsx", frozenset({ADMIN})),
    Route("GET", "/verwerkingsverslagen/api/{contract}/2026-01-05", frozenset({ADMIN})),
    Route("GET", "/verwerkingsverslagen/api/{contract}/2026-01-05.xlsx", frozenset({ADMIN})),
    Route("GET", "/koppeling", frozenset({BEHEER})),
    Route("POST", "/koppeling/{koppeling}/vernieuwen", frozenset({BEHEER})),
    Route("GET", "/in-en-uitstroomlijsten", frozenset({ADMIN})),
    Route("GET", "/in-en-uitstroomlijsten?contract={contract}&periode=2025", frozenset({ADMIN})),
    Route(
        "GET", "/in-en-uitstroomlijsten/download.xlsx?contract={contract}&periode=2025", frozenset({ADMIN})
    ),
    Route("GET", "/contract-gebruik", frozenset({ADMIN, FIN})),
    Route("GET", "/contract-gebruik?contract={contract}&periode=alles", frozenset({ADMIN, FIN})),
    Route("GET", "/contract-gebruik/download.xlsx?contract={contract}", frozenset({ADMIN, FIN})),
    Route("GET", "/borderellen", frozenset({FIN})),
    Route("GET", "/borderellen?contract={contract}", frozenset({FIN})),
    Route("GET", "/borderellen/{borderel}/borderel.csv", frozenset({FIN})),
    Route("GET", "/borderellen/{borderel}/factuur.pdf", frozenset({FIN})),
    Route("GET", "/contract-gegevens", ALLE),
    Route("GET", "/contract-gegevens?contract={contract}", ALLE),
    Route("GET", "/mislukte-verwerkingen", frozenset({ADMIN})),
    Route("GET", "/mislukte-verwerkingen?contract={contract}", frozenset({ADMIN})),
    Route("GET", "/mislukte-verwerkingen/{melding}", frozenset({ADMIN})),
    Route("POST", "/mislukte-verwerkingen/{melding}", frozenset({ADMIN}), {"persoon__bsn": "123"}),
    Route("POST", "/mislukte-verwerkingen/{melding}/verwijderen", frozenset({ADMIN}), {"reden": "dubbel"}),
    Route("GET", "/berichten", ALLE),
    Route("GET", "/berichten?contract={contract}&categorie=Bevestiging", ALLE),
    Route("POST", "/berichten/{bericht}/gelezen", ALLE),
    Route("POST", "/berichten/gelezen", ALLE),
    Route("GET", "/accountbeheer", frozenset({BEHEER})),
    Route("GET", "/accountbeheer/nieuw", frozenset({BEHEER})),
    Route(
        "POST",
        "/accountbeheer/nieuw",
        frozenset({BEHEER}),
        {"naam": "Nieuwe Collega", "email": "n@alfa.nl", "pseudoniem": "nieuw-1", "rollen": ADMIN},
    ),
    Route("GET", "/accountbeheer/{account}/bewerken", frozenset({BEHEER})),
    Route("POST", "/accountbeheer/{account}/bewerken", frozenset({BEHEER}), {"rollen": FIN}),
    Route("POST", "/accountbeheer/{account}/deactiveren", frozenset({BEHEER})),
    Route("POST", "/accountbeheer/{account}/activeren", frozenset({BEHEER})),
    Route("GET", "/accountbeheer/{account}/verwijderen", frozenset({BEHEER})),
    Route("POST", "/accountbeheer/{account}/verwijderen", frozenset({BEHEER})),
    Route("GET", "/accountbeheer/aanvragen/{aanvraag}", frozenset({BEHEER})),
    Route("POST", "/accountbeheer/aanvragen/{aanvraag}", frozenset({BEHEER}), {"rollen": ADMIN}),
    Route("POST", "/accountbeheer/aanvragen/{aanvraag}/afwijzen", frozenset({BEHEER}), {"reden": "Onbekend"}),
]

# The meldingen API authenticates with HTTP Basic (the communicatieprofiel), not the portal login;
# tests/test_api.py checks each of these for 401 without credentials and for the employer scope.
API = {
    ("/api/v1/meldingen", "POST"),
    ("/api/v1/meldingen/batch", "POST"),
    ("/api/v1/meldingen/<melding_id:melding_id>", "GET"),
    ("/api/v1/openapi.json", "GET"),
}

# Reachable without login (rule, method).
PUBLIC = {
    ("/inloggen", "GET"),
    ("/inloggen", "POST"),
    ("/inloggen/eherkenning", "GET"),
    ("/toegankelijkheid", "GET"),
    ("/gezond", "GET"),
    ("/account-aanvragen", "GET"),
    ("/account-aanvragen", "POST"),
    ("/mock-eherkenning/", "GET"),
    ("/mock-eherkenning/middel", "GET"),
    ("/mock-eherkenning/middel", "POST"),
    ("/static/<path:filename>", "GET"),
}
