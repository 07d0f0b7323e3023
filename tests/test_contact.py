"""Contact: the question form with page context, kept input, own questions only."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import ContactVraag

pytestmark = pytest.mark.postgres


def test_the_link_fills_in_the_context(login_as, world):
    portal = login_as("administratief")
    html = portal.client.get("/").get_data(as_text=True)
    assert 'href="/contact?pagina=/"' in html
    page = portal.client.get(
        "/contact",
        query_string={
            "pagina": "/deelnemers",
            "contract": world.contract_a.nummer,
            "relatienummer": world.persoon_a.relatienummer,
        },
    ).get_data(as_text=True)
    assert world.persoon_a.relatienummer in page and world.contract_a.nummer in page


def test_a_question_is_stored_with_its_context(login_as, world):
    portal = login_as("financieel")
    response = portal.post(
        "/contact",
        {
            "onderwerp": "Borderel klopt niet",
            "vraag": "De korting ontbreekt.",
            "pagina": "/borderellen",
            "contract": world.contract_a.nummer,
            "relatienummer": world.persoon_a.relatienummer,
        },
    )
    assert response.status_code == 302
    vraag = db.session.scalar(select(ContactVraag))
    assert vraag.context == {
        "pagina": "/borderellen",
        "contract": world.contract_a.nummer,
        "relatienummer": world.persoon_a.relatienummer,
    }
    assert vraag.contract_id == world.contract_a.id
    listing = portal.client.get("/contact").get_data(as_text=True)
    assert "Borderel klopt niet" in listing and "Uw vraag is verstuurd" in listing


def test_a_foreign_contract_in_the_context_is_dropped(login_as, world):
    portal = login_as("administratief")
    portal.post("/contact", {"onderwerp": "X", "vraag": "Y", "contract": world.contract_b.nummer})
    vraag = db.session.scalar(select(ContactVraag))
    assert vraag.contract_id is None and "contract" not in vraag.context


def test_errors_are_dutch_and_keep_what_was_typed(login_as):
    portal = login_as("administratief")
    response = portal.post("/contact", {"onderwerp": "Mijn onderwerp", "vraag": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Vul uw vraag in." in html and 'value="Mijn onderwerp"' in html
    assert 'aria-describedby="vraag-fout"' in html
    assert db.session.scalar(select(ContactVraag)) is None


def test_users_see_only_their_own_questions(login_as, world):
    login_as("administratief").post("/contact", {"onderwerp": "Geheim onderwerp", "vraag": "?"})
    other = login_as("financieel").client.get("/contact").get_data(as_text=True)
    assert "Geheim onderwerp" not in other
