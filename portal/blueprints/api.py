"""The meldingen API for payroll software: JSON over HTTPS, HTTP Basic with the credentials of
the employer's communicatieprofiel. Every melding goes through ``portal.domain.intake``.
"""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, current_app, jsonify, request
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import BadRequest
from werkzeug.routing import BaseConverter

from portal.domain import credentials, intake
from portal.domain.dates import Vensters
from portal.extensions import csrf, limiter
from portal.intake.api_schema import openapi
from portal.transaction import transaction
from portal.web import audit
from portal.web.access import public

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


class MeldingIdConverter(BaseConverter):
    """Only ids a melding may have, so GET /meldingen/batch is not mistaken for an id."""

    regex = intake.MELDING_ID.pattern.strip("^$")


bp.record_once(lambda state: state.app.url_map.converters.setdefault("melding_id", MeldingIdConverter))

MAX_BATCH = 1000


def _gebruikersnaam() -> str:
    auth = request.authorization
    return f"api:{auth.username}" if auth and auth.username else get_remote_address()


def _fout_limit() -> str:
    return current_app.config["RATELIMIT_API_AUTH"]


def _api_limit() -> str:
    return current_app.config["RATELIMIT_API"]


# Failed logins count per address (brute force); all traffic counts per credential (a runaway client).
_beperk_fouten = limiter.shared_limit(
    _fout_limit,
    scope="api_auth",
    key_func=get_remote_address,
    deduct_when=lambda response: response.status_code == 401,
)
_beperk = limiter.shared_limit(_api_limit, scope="api", key_func=_gebruikersnaam)


def _fout(status: int, code: str, melding: str, **extra):
    response = jsonify({"fout": code, "melding": melding, **extra})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Basic realm="meldingen", charset="UTF-8"'
    return response


def _aanmelden():
    """The credentials of the request, or None."""
    auth = request.authorization
    if auth is None or auth.type != "basic" or not auth.username or auth.password is None:
        return None
    if "\x00" in auth.username + auth.password:  # never a stored name; PostgreSQL refuses it
        return None
    # Committed at once (the note of their use), before the melding's work begins.
    with transaction():
        return credentials.aanmelden(auth.username, auth.password)


def _met_inloggegevens(view):
    """Open to the portal's login check, closed by HTTP Basic instead: the view gets the
    credentials; failed attempts and all traffic are rate limited."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        credential = _aanmelden()
        if credential is None:
            return _fout(401, "niet_geauthenticeerd", "Gebruikersnaam of wachtwoord klopt niet.")
        return view(credential, *args, **kwargs)

    return _beperk_fouten(_beperk(public(wrapped)))


def _afzender(credential) -> intake.Afzender:
    return intake.Afzender(
        kanaal="api",
        bron=f"api:{credential.id}",
        organisatie_id=credential.organisatie_id,
        toegang=audit.toegang(),
    )


def _verwerk(data, credential) -> tuple[int, dict]:
    """One melding: the HTTP status and the body."""
    try:
        melding = intake.MeldingIn.uit_json(data)
    except intake.GeenMelding as exc:
        return 400, {"fout": exc.code, "melding": exc.bericht, "veld": exc.veld}
    try:
        # Each melding its own unit of work (a batch keeps the ones before a failure).
        with transaction():
            ontvangst = intake.ontvang(
                melding, _afzender(credential), vensters=Vensters.uit_settings(current_app.config)
            )
    except intake.NietBevoegd as exc:
        with transaction():
            audit.record(
                "melding_geweigerd",
                "access",
                contract_nummer=str(exc),
                uitkomst="geweigerd",
                details={"api_gebruiker": credential.gebruikersnaam, "melding_id": melding.melding_id},
            )
        return 403, {
            "fout": "afzender_niet_bevoegd",
            "melding": "Deze inloggegevens horen niet bij de werkgever van dit collectiviteitsnummer.",
        }
    if ontvangst.conflict:
        return 409, {
            "fout": "melding_id_hergebruikt",
            "melding": "Dit melding_id is al gebruikt voor een melding met andere inhoud. "
            "Gebruik een nieuw melding_id.",
            "eerdere_melding": ontvangst.antwoord,
        }
    if not ontvangst.nieuw:
        return 200, ontvangst.antwoord
    return (201 if ontvangst.status == "verwerkt" else 422), ontvangst.antwoord


_GEEN_JSON = object()


def _json():
    try:
        return request.get_json(force=True)
    except (BadRequest, RecursionError):
        # RecursionError: Python's parser recurses per nesting level, so '[' * 100_000 is no
        # melding either (it was a 500).
        return _GEEN_JSON


@bp.post("/meldingen")
@_met_inloggegevens
def melding_post(credential):
    data = _json()
    if data is _GEEN_JSON:
        return _fout(400, "geen_melding", "De body is geen geldige JSON.")
    status, body = _verwerk(data, credential)
    return jsonify(body), status


@bp.post("/meldingen/batch")
@_met_inloggegevens
def batch_post(credential):
    data = _json()
    meldingen = data.get("meldingen") if isinstance(data, dict) else None
    if not isinstance(meldingen, list) or not 1 <= len(meldingen) <= MAX_BATCH:
        return _fout(
            400,
            "batch_ongeldig",
            f"Stuur een object met 'meldingen': een lijst van 1 tot {MAX_BATCH} meldingen.",
        )
    resultaten = []
    for index, item in enumerate(meldingen):
        status, body = _verwerk(item, credential)
        resultaten.append({"index": index, "http_status": status, **body})
    return jsonify({"resultaten": resultaten}), 200


@bp.get("/meldingen/<melding_id:melding_id>")
@_met_inloggegevens
def melding_get(credential, melding_id: str):
    melding = intake.zoek(_afzender(credential).bron, melding_id)
    if melding is None:
        return _fout(404, "niet_gevonden", "Geen melding met dit melding_id van deze afzender.")
    return jsonify(melding.antwoord), 200


@bp.get("/openapi.json")
@public
def openapi_json():
    return jsonify(openapi())
