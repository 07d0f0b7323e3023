"""Generic error pages in Dutch; nothing about the internals leaks out."""

from __future__ import annotations

import logging
import traceback

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from portal.domain.audit import mask
from portal.extensions import db
from portal.web.access import forbidden_response
from portal.web.security import NUL_TEKEN

logger = logging.getLogger("portal.web.errors")

TITELS = {
    400: (
        "Ongeldig verzoek",
        "Uw verzoek kon niet worden verwerkt. Laad de pagina opnieuw en probeer het nog eens.",
    ),
    404: ("Niet gevonden", "De pagina of gegevens die u zoekt bestaan niet of u heeft er geen toegang toe."),
    405: ("Niet toegestaan", "Deze actie is op deze manier niet toegestaan."),
    413: ("Bestand te groot", "Het bestand is te groot. De grens is 10 MB."),
    429: ("Te veel pogingen", "U heeft het te vaak geprobeerd. Wacht een minuut en probeer het opnieuw."),
    500: ("Er ging iets mis", "Er ging iets mis aan onze kant. Probeer het later opnieuw."),
}

# The API answers with the codes of its catalogue (portal.domain.foutcodes.API).
API_CODES = {
    400: "geen_melding",
    401: "niet_geauthenticeerd",
    404: "niet_gevonden",
    413: "te_groot",
    429: "te_veel_verzoeken",
}


def _keep_headers(error: HTTPException, response) -> None:
    """The headers the error itself carries (Allow on a 405, Retry-After on a 429)."""
    for naam, waarde in error.get_headers():
        if naam.lower() != "content-type":
            response.headers[naam] = waarde


def register(app: Flask) -> None:
    """Install the handlers."""
    app.register_error_handler(403, forbidden_response)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        titel, message = TITELS.get(code, (error.name, "Er ging iets mis."))
        if code == 400 and "CSRF" in (error.description or ""):
            message = "Uw sessie is verlopen of het formulier is te oud. Laad de pagina opnieuw."
        elif code == 400 and error.description == NUL_TEKEN:
            message = (
                "Uw invoer bevat een onzichtbaar stuurteken (NUL). Haal het weg, bijvoorbeeld "
                "door de tekst opnieuw te typen, en probeer het nog eens."
            )
        if request.path.startswith("/api/"):
            response = jsonify(
                {"fout": API_CODES.get(code, error.name.lower().replace(" ", "_")), "melding": message}
            )
            response.status_code = code
            _keep_headers(error, response)
            if code == 429:
                response.headers.setdefault("Retry-After", "60")
            return response
        response = app.make_response(
            (render_template("errors/error.html", titel=titel, message=message), code)
        )
        _keep_headers(error, response)
        if code == 429:
            response.headers.setdefault("Retry-After", "60")
        return response

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        # Database errors can quote values (PostgreSQL: "Key (bsn)=(...) already exists"),
        # so the traceback is masked like every other log line.
        logger.error(
            "onverwachte fout op %s\n%s", request.path, mask("".join(traceback.format_exception(error)))
        )
        # The request's last resort: work left outside a ``transaction()`` block (or a failed
        # flush) is dropped, so nothing half-done is saved by a later commit.
        db.session.rollback()
        if app.config.get("RERAISE_ERRORS"):  # tests want the real traceback
            raise error
        titel, message = TITELS[500]
        if request.path.startswith("/api/"):
            return jsonify({"fout": "interne_fout", "melding": message}), 500
        return render_template("errors/error.html", titel=titel, message=message), 500
