"""Berichten: who sees which, the category filter, paging, unread and "markeer als gelezen";
and the contact answer that reaches the user as a bericht."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.domain import berichten
from portal.extensions import db
from portal.models import AuditLog, Bericht, BerichtGelezen, ContactVraag
from tests import factories

pytestmark = pytest.mark.postgres


def _rijen(html: str) -> list[str]:
    return re.findall(r'<tr id="bericht-\d+"[^>]*>.*?</tr>', html, re.S)


def test_the_contracts_berichten_newest_first_with_categories(login_as, world):
    eerst = berichten.afmelding_ontvangen(world.contract_a, world.persoon_a)
    db.session.flush()
    later = berichten.borderel_klaar(world.contract_a, "november 2026")
    later.created_at = eerst.created_at.replace(year=eerst.created_at.year + 1)
    berichten.afmelding_ontvangen(world.contract_b, world.persoon_b)
    db.session.commit()
    html = login_as("financieel").client.get("/berichten").get_data(as_text=True)
    rijen = _rijen(html)
    assert len(rijen) == 2 and "Borderel en factuur" in rijen[0] and "Afmelding" in rijen[1]
    assert "Betastra" not in html  # another organisation's contract
    assert '<option value="Bevestiging">Bevestiging</option>' in html
    assert '<option value="Borderel">Borderel</option>' in html
    assert '<option value="Account">' not in html  # only categories that occur
    gefilterd = login_as("financieel").client.get("/berichten?categorie=Borderel").get_data(as_text=True)
    assert len(_rijen(gefilterd)) == 1 and "Borderel en factuur" in gefilterd


def test_personal_berichten_are_for_that_user_only(login_as, world):
    berichten.account_gewijzigd(world.users["administratief"], "Rechten van A gewijzigd.", [])
    db.session.commit()
    assert "Rechten van A gewijzigd." in login_as("administratief").client.get("/berichten").get_data(
        as_text=True
    )
    assert "Rechten van A gewijzigd." not in login_as("financieel").client.get("/berichten").get_data(
        as_text=True
    )


def test_paging_and_a_filter_in_the_url(login_as, world):
    for _ in range(12):
        berichten.afmelding_ontvangen(world.contract_a, world.persoon_a)
    db.session.commit()
    portal = login_as("administratief")
    eerste = portal.client.get("/berichten?per_pagina=10").get_data(as_text=True)
    assert len(_rijen(eerste)) == 10 and "Aantal berichten: 12" in eerste
    assert 'href="/berichten?pagina=2&amp;per_pagina=10"' in eerste
    tweede = portal.client.get("/berichten?pagina=2&per_pagina=10").get_data(as_text=True)
    assert len(_rijen(tweede)) == 2
    # A page past the end shows the last one; an unknown category shows all.
    assert len(_rijen(portal.client.get("/berichten?pagina=99&per_pagina=10").get_data(as_text=True))) == 2
    assert len(_rijen(portal.client.get("/berichten?categorie=Onzin").get_data(as_text=True))) == 12


def test_mark_one_and_all_as_read(login_as, world):
    a = berichten.afmelding_ontvangen(world.contract_a, world.persoon_a)
    b = berichten.aanmelding_ontvangen(world.contract_a, world.persoon_a)
    db.session.commit()
    portal = login_as("administratief")
    html = portal.client.get("/berichten").get_data(as_text=True)
    assert "2 ongelezen" in html and html.count('class="ongelezen"') == 2
    response = portal.post(
        f"/berichten/{a.id}/gelezen", {"terug": "/berichten"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and 'class="ongelezen"' not in response.get_data(as_text=True)
    assert "Gelezen" in response.get_data(as_text=True)
    # Marking it again changes nothing.
    assert portal.post(f"/berichten/{a.id}/gelezen").status_code == 303
    assert db.session.scalar(select(db.func.count()).select_from(BerichtGelezen)) == 1
    # Read for this user only.
    other = login_as("financieel").client.get("/berichten").get_data(as_text=True)
    assert "2 ongelezen" in other
    response = portal.post("/berichten/gelezen", {"terug": "https://evil.example/x"})
    assert response.status_code == 303 and response.headers["Location"] == "/berichten"
    html = portal.client.get("/berichten").get_data(as_text=True)
    assert "ongelezen" not in html.split("<tbody>")[1] and str(b.id) in html


def test_a_foreign_bericht_cannot_be_marked(login_as, world):
    vreemd = berichten.afmelding_ontvangen(world.contract_b, world.persoon_b)
    eigen_van_ander = berichten.account_gewijzigd(world.users["financieel"], "Alleen voor F.", [])[0]
    db.session.commit()
    portal = login_as("administratief")
    assert portal.post(f"/berichten/{vreemd.id}/gelezen").status_code == 404
    assert portal.post(f"/berichten/{eigen_van_ander.id}/gelezen").status_code == 404


def test_berichten_older_than_the_account_count_as_read(login_as, world):
    oud = berichten.afmelding_ontvangen(world.contract_a, world.persoon_a)
    oud.created_at = world.users["administratief"].created_at.replace(year=2020)
    db.session.commit()
    html = login_as("administratief").client.get("/berichten").get_data(as_text=True)
    assert "ongelezen" not in html.split("<tbody>")[1]


def test_viewing_berichten_is_audited(login_as, world):
    login_as("administratief").client.get(f"/berichten?contract={world.contract_a.nummer}")
    record = db.session.scalar(select(AuditLog).where(AuditLog.gebeurtenis == "berichten_bekeken"))
    assert record.contract_nummer == world.contract_a.nummer


def test_an_answer_reaches_the_user_as_a_bericht_and_on_the_contact_page(login_as, world, runner):
    portal = login_as("administratief")
    portal.post("/contact", {"onderwerp": "Korting", "vraag": "Waarom geen korting?"})
    vraag = db.session.scalar(select(ContactVraag))
    listed = runner.invoke(args=["contactvragen"])
    assert f"#{vraag.id}" in listed.output and "Waarom geen korting?" in listed.output
    result = runner.invoke(
        args=["contactvraag-beantwoorden", str(vraag.id), "--antwoord", "De korting staat op de factuur."]
    )
    assert result.exit_code == 0, result.output
    again = runner.invoke(args=["contactvraag-beantwoorden", str(vraag.id), "--antwoord", "Nog eens"])
    assert again.exit_code != 0 and "al beantwoord" in again.output
    bericht = db.session.scalar(select(Bericht).where(Bericht.categorie == "Contact"))
    assert bericht.gebruiker_id == world.users["administratief"].id and "Korting" in bericht.tekst
    assert "De korting staat op de factuur." in portal.client.get("/contact").get_data(as_text=True)
    assert "is beantwoord" in portal.client.get("/berichten").get_data(as_text=True)
    assert "is beantwoord" not in login_as("financieel").client.get("/berichten").get_data(as_text=True)


def test_unknown_question_is_a_clear_error(runner):
    result = runner.invoke(args=["contactvraag-beantwoorden", "999", "--antwoord", "x"])
    assert result.exit_code != 0 and "Geen vraag met nummer 999" in result.output


def test_the_unread_count_stops_at_a_hundred(app, world):
    gebruiker = world.users["administratief"]
    for _ in range(105):
        berichten.afmelding_ontvangen(world.contract_a, world.persoon_a)
    db.session.commit()
    assert berichten.ongelezen(gebruiker, {world.contract_a.id}) == 100
    # An account made after them has read them all.
    nieuw = factories.gebruiker(world.org, contracten=[world.contract_a])
    db.session.commit()
    assert berichten.ongelezen(nieuw, {world.contract_a.id}) == 0


def test_the_dashboard_shows_how_many_are_new(login_as, world):
    portal = login_as("financieel")
    assert "nieuw</span>" not in portal.client.get("/").get_data(as_text=True)
    berichten.afmelding_ontvangen(world.contract_a, world.persoon_a)
    berichten.afmelding_ontvangen(world.contract_b, world.persoon_b)  # not this user's contract
    db.session.commit()
    assert '<span class="label-nieuw">1 nieuw</span>' in portal.client.get("/").get_data(as_text=True)
