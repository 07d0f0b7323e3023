"""Response headers and the request rules every route shares."""

from __future__ import annotations

from itertools import chain

from flask import Flask, abort, request

HTMX_VERSION = "2.0.11"
HTMX_URL = f"https://cdn.jsdelivr.net/npm/htmx.org@{HTMX_VERSION}/dist/htmx.min.js"
HTMX_INTEGRITY = "sha384-2OatzQy1H+Zd/IIrjr1TcuDGqLXeHhbooAyJY1KdQMKnr4LZ22k31GBLdYKHmVjg"

CSP = "; ".join(
    [
        "default-src 'self'",
        # The one pinned file, not the whole CDN: a path in a source expression allows only it.
        f"script-src 'self' {HTMX_URL}",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)


# The description of the 400 for a NUL byte (``portal.web.errors`` turns it into its Dutch message).
NUL_TEKEN = "nul-teken"


def refuse_nul_bytes() -> None:
    """PostgreSQL refuses a NUL byte in text, so any query with one fails (a 500). Nobody types
    one: a request carrying one in its path, query, form or an uploaded file's name is refused
    as a whole, before a view runs. (API meldingen check their JSON themselves,
    ``intake.MeldingIn``; a file's content is the upload's own check.)"""
    waarden = chain(
        (request.view_args or {}).values(),
        *request.args.listvalues(),
        *request.form.listvalues(),
        (bestand.filename for bestanden in request.files.listvalues() for bestand in bestanden),
    )
    if any(isinstance(waarde, str) and "\x00" in waarde for waarde in waarden):
        abort(400, description=NUL_TEKEN)


def register(app: Flask) -> None:
    """Install the NUL-byte and login checks and the after-request header policy."""
    from portal.web.access import enforce_login

    app.before_request(refuse_nul_bytes)
    app.before_request(enforce_login)

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers["Content-Security-Policy"] = CSP
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "same-origin"
        headers["X-Frame-Options"] = "DENY"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if app.config["HSTS"]:
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        # Fragments and pages share URLs, so caches must key on the htmx header.
        response.vary.add("HX-Request")
        response.vary.add("Cookie")
        if request.endpoint != "static":
            # Pages may hold personal data: never store them (browser, proxies, bfcache).
            headers["Cache-Control"] = "no-store"
        return response
