"""The one table of every route and the roles that may use it.

Every screen adds its routes here; ``test_access.py`` checks each route for every role,
anonymously, and with a contract the user does not have. ``{contract}`` in a path is
filled with the user's own contract (allowed) or a foreign one (must answer 404).
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
]

# Reachable without login (rule, method).
PUBLIC = {
    ("/inloggen", "GET"),
    ("/inloggen", "POST"),
    ("/inloggen/eherkenning", "GET"),
    ("/toegankelijkheid", "GET"),
    ("/gezond", "GET"),
    ("/mock-eherkenning/", "GET"),
    ("/mock-eherkenning/middel", "GET"),
    ("/mock-eherkenning/middel", "POST"),
    ("/static/<path:filename>", "GET"),
}
