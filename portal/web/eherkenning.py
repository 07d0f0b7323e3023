"""The eHerkenning login, behind one small interface.

``MockBroker`` plays the identity provider's side in ``portal.blueprints.mock_eherkenning``;
a real SAML broker would implement the same two methods (``authn_url``, ``verify``).
The portal checks what SECURITY.md asks: signature, audience, expiry, the one-time state
bound to this browser, single use, and the assurance level.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, session, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import update

from portal.extensions import db
from portal.models import LoginState
from portal.models.types import utcnow
from portal.transaction import transaction

# eHerkenning levels as the broker names them, and how users know them.
NIVEAUS = {"loa1": "EH1", "loa2": "EH2", "loa2plus": "EH2+", "loa3": "EH3", "loa4": "EH4"}
# The portal requires EH2+ or EH3; EH4 is stronger than EH3 and so satisfies it too.
TOEGESTANE_NIVEAUS = {"loa2plus", "loa3", "loa4"}
STATE_KEY = "login_state"


@dataclass(frozen=True)
class Identiteit:
    """Who logged in: a person is (KvK-nummer, pseudonym); another KvK is another person."""

    kvk_nummer: str
    pseudoniem: str
    niveau: str
    vestigingsnummer: str | None = None


class LoginGeweigerd(Exception):
    """The login cannot go on; ``melding`` is the Dutch text for the user."""

    def __init__(self, code: str, melding: str):
        super().__init__(code)
        self.code = code
        self.melding = melding


TE_LAAG_NIVEAU = (
    "U heeft ingelogd met eHerkenning niveau {niveau}. Voor dit portaal is minimaal "
    "betrouwbaarheidsniveau EH2+ of EH3 nodig. Vraag bij uw eHerkenningsleverancier een "
    "middel met niveau EH2+ of EH3 aan en probeer het opnieuw."
)
ONGELDIG = "Het inloggen is niet gelukt. Probeer het opnieuw."
VERLOPEN = "Het inloggen duurde te lang en is verlopen. Probeer het opnieuw."


class MockBroker:
    """Signs and verifies assertions of the mock identity provider (HMAC over the claims)."""

    salt = "mock-eherkenning-assertion"

    def _serializer(self) -> URLSafeTimedSerializer:
        key = current_app.config.get("MOCK_EHERKENNING_KEY") or current_app.config["SECRET_KEY"]
        return URLSafeTimedSerializer(key, salt=self.salt)

    def authn_url(self, state: str) -> str:
        """Where the browser goes to log in."""
        return url_for(
            "mock_eherkenning.leverancier",
            state=state,
            audience=current_app.config["EHERKENNING_AUDIENCE"],
        )

    def issue(self, identiteit: Identiteit, state: str, audience: str) -> str:
        """The identity provider's side: a signed, timestamped assertion."""
        claims = {
            "iss": "mock-eherkenning",
            "aud": audience,
            "state": state,
            "jti": secrets.token_urlsafe(12),
            "LegalSubjectID": identiteit.kvk_nummer,
            "ActingSubjectID": identiteit.pseudoniem,
            "loa": identiteit.niveau,
        }
        if identiteit.vestigingsnummer:
            claims["ServiceRestriction"] = identiteit.vestigingsnummer
        return self._serializer().dumps(claims)

    def verify(self, assertion: str) -> tuple[dict, Identiteit]:
        """Check signature and expiry; return the claims and the identity."""
        max_age = current_app.config["EHERKENNING_ASSERTION_MAX_AGE"]
        try:
            claims = self._serializer().loads(assertion, max_age=max_age)
        except SignatureExpired as exc:
            raise LoginGeweigerd("verlopen", VERLOPEN) from exc
        except BadSignature as exc:
            raise LoginGeweigerd("ongeldige_handtekening", ONGELDIG) from exc
        if not isinstance(claims, dict):
            raise LoginGeweigerd("ongeldig", ONGELDIG)
        try:
            identiteit = Identiteit(
                kvk_nummer=str(claims["LegalSubjectID"]),
                pseudoniem=str(claims["ActingSubjectID"]),
                niveau=str(claims["loa"]),
                vestigingsnummer=claims.get("ServiceRestriction"),
            )
        except KeyError as exc:
            raise LoginGeweigerd("ongeldig", ONGELDIG) from exc
        return claims, identiteit


def broker() -> MockBroker:
    """The configured broker. Only the mock exists today; it is refused unless switched on."""
    if not current_app.config["MOCK_EHERKENNING_ENABLED"]:
        raise LoginGeweigerd("geen_broker", "Inloggen met eHerkenning is op deze omgeving niet ingericht.")
    return MockBroker()


def begin() -> str:
    """Start a login: a one-time state, stored server-side and bound to this browser."""
    state = secrets.token_urlsafe(32)
    with transaction():
        db.session.add(LoginState(state=state))
    session[STATE_KEY] = state
    return broker().authn_url(state)


def complete(assertion: str) -> Identiteit:
    """Verify an assertion returned by the broker and consume its state.

    Raises ``LoginGeweigerd`` for anything not exactly right.
    """
    claims, identiteit = broker().verify(assertion)
    if claims.get("aud") != current_app.config["EHERKENNING_AUDIENCE"]:
        raise LoginGeweigerd("verkeerde_audience", ONGELDIG)
    expected = session.pop(STATE_KEY, None)
    if not expected or not secrets.compare_digest(str(claims.get("state")), expected):
        raise LoginGeweigerd("state_onbekend", ONGELDIG)
    oldest = utcnow() - timedelta(seconds=current_app.config["LOGIN_STATE_MAX_AGE"])
    # One UPDATE decides single use, also when two workers race with the same assertion; saved
    # at once, so a refusal below still leaves the state used.
    with transaction():
        used = db.session.execute(
            update(LoginState)
            .where(
                LoginState.state == expected,
                LoginState.used_at.is_(None),
                LoginState.created_at >= oldest,
            )
            .values(used_at=utcnow())
        )
    if used.rowcount != 1:
        raise LoginGeweigerd("hergebruikt", ONGELDIG)
    if identiteit.niveau not in TOEGESTANE_NIVEAUS:
        niveau = NIVEAUS.get(identiteit.niveau, identiteit.niveau)
        raise LoginGeweigerd("niveau_te_laag", TE_LAAG_NIVEAU.format(niveau=niveau))
    return identiteit
