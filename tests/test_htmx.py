"""One helper decides fragment or page on HX-Request; boosted and history restores get pages."""

from __future__ import annotations

import pytest

from portal.web.htmx import is_htmx, render


@pytest.mark.parametrize(
    "headers,fragment",
    [
        ({}, False),
        ({"HX-Request": "true"}, True),
        ({"HX-Request": "true", "HX-Boosted": "true"}, False),
        ({"HX-Request": "true", "HX-History-Restore-Request": "true"}, False),
    ],
)
def test_fragment_or_page(app, headers, fragment):
    with app.test_request_context("/", headers=headers):
        assert is_htmx() is fragment
        html = render("errors/error.html", "errors/_melding.html", titel="T", message="Bericht")
        assert ("<html" in html) is not fragment
        assert "Bericht" in html
