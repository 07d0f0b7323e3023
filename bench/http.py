"""A small HTTP client with cookies and no redirect following, shaped like Flask's test client,
so ``tests.login.mock_login`` can log in to a real server (gunicorn) too."""

from __future__ import annotations

import http.cookiejar
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass


@dataclass
class Antwoord:
    status_code: int
    headers: dict
    text: str


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class HttpClient:
    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")
        self.cookies = http.cookiejar.CookieJar()
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def _open(self, request) -> Antwoord:
        try:
            with self._opener.open(request, timeout=30) as response:
                return Antwoord(response.status, dict(response.headers), response.read().decode())
        except urllib.error.HTTPError as error:
            return Antwoord(error.code, dict(error.headers), error.read().decode())

    def get(self, path: str, query_string: dict | None = None, headers: dict | None = None) -> Antwoord:
        url = self.base_url + path if path.startswith("/") else path
        if query_string:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(query_string)
        return self._open(urllib.request.Request(url, headers=headers or {}))

    def post(self, path: str, data: dict, headers: dict | None = None) -> Antwoord:
        body = urllib.parse.urlencode(data).encode()
        return self._open(
            urllib.request.Request(self.base_url + path, data=body, method="POST", headers=headers or {})
        )

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.cookies)
