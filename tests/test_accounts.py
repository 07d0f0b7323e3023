"""Accountbeheer and account requests: the rules on the server, crafted POSTs, audit and berichten."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AccountAanvraag, AuditLog, AuthSession, Bericht, Gebruiker
from tests import factories

pytestmark = pytest.mark.postgres


@pytest.fixture
def beheer(login_as):
    return login_as("accountbeheer")


def _account(account_id: int) -> Gebruiker:
    db.session.expire_all()
    return db.session.get(Gebruiker, account_id)


def test_the_list_shows_the_organisations_accounts_only(beheer, world):
    html = beheer.client.get("/accountbeheer").get_data(as_text=True)
    for rol in ("administratief", "financieel", "accountbeheer"):
        assert f"Gebruiker {rol}" in html
    assert "Gebruiker Beta" not in html
    assert world.users["financieel"].pseudoniem in html and "Nog nooit" in html


def test_create_an_account_for_a_colleague(beheer, world):
    response = beheer.post(
        "/accountbeheer/nieuw",
        {
            "naam": "Piet Jansen",
            "email": "p.jansen@alfa.nl",
            "pseudoniem": "piet-eh",
            "rollen": ["administratief", "financieel"],
            "contracten": [str(world.contract_a.id)],
        },
    )
    assert response.status_code == 303
    piet = db.session.scalar(select(Gebruiker).where(Gebruiker.naam == "Piet Jansen"))
    assert piet.rollen == {"administratief", "financieel"} and piet.kvk_nummer == world.org.kvk_nummer
    assert [c.nummer for c in piet.contracten] == [world.contract_a.nummer]
    record = db.session.scalar(select(AuditLog).where(AuditLog.gebeurtenis == "account_aangemaakt"))
    assert record.gebruiker_id == world.users["accountbeheer"].id
    assert record.details["na"]["rollen"] == ["administratief", "financieel"]
    ontvangers = set(db.session.scalars(select(Bericht.gebruiker_id).where(Bericht.categorie == "Account")))
    assert ontvangers == {piet.id, world.users["accountbeheer"].id}


def test_errors_keep_what_was_typed(beheer, world):
    response = beheer.post(
        "/accountbeheer/nieuw",
        {"naam": "Piet Jansen", "email": "geen-adres", "pseudoniem": "piet-eh", "rollen": ["financieel"]},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Vul een geldig e-mailadres in" in html
    assert 'value="Piet Jansen"' in html and 'value="piet-eh"' in html
    assert re.search(r'<input checked[^>]*value="financieel"', html)
    response = beheer.post("/accountbeheer/nieuw", {"naam": "Piet", "email": "p@alfa.nl", "pseudoniem": "p"})
    assert response.status_code == 422 and "Kies ten minste één rol." in response.get_data(as_text=True)
    dubbel = beheer.post(
        "/accountbeheer/nieuw",
        {
            "naam": "X",
            "email": "x@alfa.nl",
            "pseudoniem": world.users["financieel"].pseudoniem,
            "rollen": ["financieel"],
        },
    )
    assert dubbel.status_code == 422 and "bestaat al een account" in dubbel.get_data(as_text=True)


@pytest.mark.parametrize(
    "veld,melding",
    [
        ("naam", "De naam is te lang (maximaal 200 tekens)."),
        ("email", "Vul een geldig e-mailadres in"),
        ("pseudoniem", "De eHerkenning-identiteit is te lang (maximaal 200 tekens)."),
    ],
)
def test_a_value_longer_than_its_column_is_a_dutch_error_not_a_500(beheer, veld, melding):
    """PostgreSQL refuses it where SQLite stores it: without the check this was a 500 there."""
    waarden = {"naam": "Piet", "email": "p@alfa.nl", "pseudoniem": "piet-eh", "rollen": ["financieel"]}
    waarden[veld] = ("a" * 195 + "@alfa.nl") if veld == "email" else "a" * 201
    response = beheer.post("/accountbeheer/nieuw", waarden)
    assert response.status_code == 422 and melding in response.get_data(as_text=True)


def test_a_crafted_grant_outside_ones_own_contracts_is_refused(beheer, world):
    eigen_ander = factories.contract(world.org, naam="Alfa tweede")
    db.session.commit()
    for contract in (world.contract_b, eigen_ander):  # another organisation's; own org, not mine
        response = beheer.post(
            f"/accountbeheer/{world.users['administratief'].id}/bewerken",
            {"rollen": ["administratief"], "contracten": [str(world.contract_a.id), str(contract.id)]},
        )
        assert response.status_code == 422
        assert "alleen toegang geven tot contracten waartoe u zelf toegang heeft" in response.get_data(
            as_text=True
        )
        assert [c.id for c in _account(world.users["administratief"].id).contracten] == [world.contract_a.id]
    response = beheer.post(
        "/accountbeheer/nieuw",
        {
            "naam": "Q",
            "email": "q@alfa.nl",
            "pseudoniem": "q",
            "rollen": ["administratief"],
            "contracten": [str(world.contract_b.id)],
        },
    )
    assert response.status_code == 422
    assert db.session.scalar(select(Gebruiker).where(Gebruiker.naam == "Q")) is None


def test_editing_keeps_contracts_the_beheerder_does_not_have(beheer, world):
    ander = factories.contract(world.org, naam="Alfa tweede")
    collega = world.users["financieel"]
    collega.contracten = [world.contract_a, ander]
    db.session.commit()
    page = beheer.client.get(f"/accountbeheer/{collega.id}/bewerken").get_data(as_text=True)
    assert "Die toegang kunt u niet wijzigen" in page and ander.nummer in page
    response = beheer.post(f"/accountbeheer/{collega.id}/bewerken", {"rollen": ["administratief"]})
    assert response.status_code == 303
    na = _account(collega.id)
    assert na.rollen == {"administratief"} and [c.id for c in na.contracten] == [ander.id]
    record = db.session.scalar(select(AuditLog).where(AuditLog.gebeurtenis == "account_gewijzigd"))
    assert record.details["voor"]["rollen"] == ["financieel"]
    assert record.details["na"]["rollen"] == ["administratief"]


def test_the_change_takes_effect_at_the_next_request(login_as, beheer, world):
    collega = login_as("financieel")
    assert collega.client.get("/borderellen").status_code == 200
    beheer.post(
        f"/accountbeheer/{world.users['financieel'].id}/bewerken",
        {"rollen": ["administratief"], "contracten": [str(world.contract_a.id)]},
    )
    assert collega.client.get("/borderellen").status_code == 403
    assert collega.client.get("/deelnemers").status_code == 200


def test_a_deactivated_user_is_logged_out_and_can_come_back(login_as, beheer, world):
    collega = login_as("financieel")
    doel = world.users["financieel"]
    assert beheer.post(f"/accountbeheer/{doel.id}/deactiveren").status_code == 303
    assert collega.client.get("/borderellen").status_code == 302
    assert (
        db.session.scalar(
            select(AuthSession).where(AuthSession.gebruiker_id == doel.id, AuthSession.ended_at.is_(None))
        )
        is None
    )
    again = _opnieuw_inloggen(login_as, doel)
    assert again.status_code == 403 and "gedeactiveerd" in again.get_data(as_text=True)
    assert beheer.post(f"/accountbeheer/{doel.id}/activeren").status_code == 303
    assert _account(doel.id).actief


def _opnieuw_inloggen(login_as, gebruiker):
    portal = login_as("administratief")
    portal.client.post("/uitloggen", data={"csrf_token": portal.csrf("/")})
    return portal.login_identity(gebruiker.kvk_nummer, gebruiker.pseudoniem)


def test_the_last_accountbeheerder_stays(beheer, world):
    zelf = world.users["accountbeheer"]
    for pad, data in ((f"/accountbeheer/{zelf.id}/bewerken", {"rollen": ["administratief"]}),):
        response = beheer.post(pad, data)
        assert response.status_code == 422
        assert "laatste actieve accountbeheerder" in response.get_data(as_text=True)
    for pad in (f"/accountbeheer/{zelf.id}/deactiveren", f"/accountbeheer/{zelf.id}/verwijderen"):
        response = beheer.post(pad, follow_redirects=True)
        assert "laatste actieve accountbeheerder" in response.get_data(as_text=True)
    na = _account(zelf.id)
    assert na.is_accountbeheerder and na.actief and na.verwijderd_op is None
    # With a second accountbeheerder the first may step down.
    beheer.post(
        f"/accountbeheer/{world.users['financieel'].id}/bewerken",
        {"rollen": ["financieel", "accountbeheer"], "contracten": [str(world.contract_a.id)]},
    )
    assert (
        beheer.post(
            f"/accountbeheer/{zelf.id}/bewerken",
            {"rollen": ["administratief"], "contracten": [str(world.contract_a.id)]},
        ).status_code
        == 303
    )


def test_an_inactive_accountbeheerder_does_not_count(beheer, world):
    factories.gebruiker(world.org, rollen=("accountbeheer",), actief=False)
    db.session.commit()
    response = beheer.post(
        f"/accountbeheer/{world.users['accountbeheer'].id}/deactiveren", follow_redirects=True
    )
    assert "laatste actieve accountbeheerder" in response.get_data(as_text=True)


def test_remove_an_account(beheer, world):
    doel = world.users["administratief"]
    identiteit = doel.pseudoniem
    bevestiging = beheer.client.get(f"/accountbeheer/{doel.id}/verwijderen").get_data(as_text=True)
    assert "Weet u zeker" in bevestiging and doel.naam in bevestiging
    assert beheer.post(f"/accountbeheer/{doel.id}/verwijderen").status_code == 303
    na = _account(doel.id)
    assert na.verwijderd_op is not None and not na.actief and na.rollen == set() and na.contracten == []
    assert f'id="account-{doel.id}"' not in beheer.client.get("/accountbeheer").get_data(as_text=True)
    assert beheer.client.get(f"/accountbeheer/{doel.id}/bewerken").status_code == 404
    # The identity is free for a new account.
    assert (
        beheer.post(
            "/accountbeheer/nieuw",
            {"naam": "Terug", "email": "t@alfa.nl", "pseudoniem": identiteit, "rollen": ["administratief"]},
        ).status_code
        == 303
    )


def test_another_organisations_account_is_404(beheer, world):
    vreemd = world.users["vreemd"]
    assert beheer.client.get(f"/accountbeheer/{vreemd.id}/bewerken").status_code == 404
    assert beheer.post(f"/accountbeheer/{vreemd.id}/deactiveren").status_code == 404
    assert _account(vreemd.id).actief


# ---------------------------------------------------------------- requests ----------------


def _aanvragen(portal, kvk: str, pseudoniem: str, **velden):
    """Log in with an identity without account, then send the request form."""
    response = portal.login_identity(kvk, pseudoniem)
    assert response.status_code == 403 and "aanvraagformulier" in response.get_data(as_text=True)
    data = {
        "organisatie": "Gemeente Alfa",
        "naam": "Nieuwe Medewerker",
        "email": "nm@alfa.nl",
        "rollen": ["administratief"],
        "contracten": "",
    }
    data.update(velden)
    return portal.post("/account-aanvragen", data, csrf_from="/account-aanvragen")


def test_without_an_eherkenning_login_the_form_asks_for_one_first(client):
    html = client.get("/account-aanvragen").get_data(as_text=True)
    assert "Log daarom eerst in met eHerkenning" in html and 'action="/inloggen"' in html
    assert 'href="/account-aanvragen"' in client.get("/inloggen").get_data(as_text=True)


def test_a_request_goes_to_the_accountbeheerder_who_approves_it(portal, beheer, world, app):
    response = _aanvragen(
        portal, world.org.kvk_nummer, "nieuw-pseudo", contracten=f"{world.contract_a.nummer} graag"
    )
    assert response.status_code == 200 and "accountbeheerder van uw organisatie" in response.get_data(
        as_text=True
    )
    aanvraag = db.session.scalar(select(AccountAanvraag))
    assert aanvraag.pseudoniem == "nieuw-pseudo" and aanvraag.organisatie_id == world.org.id
    bericht = db.session.scalar(select(Bericht).where(Bericht.categorie == "Account"))
    assert bericht.gebruiker_id == world.users["accountbeheer"].id
    lijst = beheer.client.get("/accountbeheer").get_data(as_text=True)
    assert "Nieuwe Medewerker" in lijst
    formulier = beheer.client.get(f"/accountbeheer/aanvragen/{aanvraag.id}").get_data(as_text=True)
    # The wished contract and role, ticked.
    assert re.search(rf'<input checked[^>]*name="contracten"[^>]*value="{world.contract_a.id}"', formulier)
    assert re.search(r'<input checked[^>]*value="administratief"', formulier)
    assert (
        beheer.post(
            f"/accountbeheer/aanvragen/{aanvraag.id}",
            {"rollen": ["administratief"], "contracten": [str(world.contract_a.id)]},
        ).status_code
        == 303
    )
    nieuw = db.session.scalar(select(Gebruiker).where(Gebruiker.pseudoniem == "nieuw-pseudo"))
    assert nieuw.rollen == {"administratief"}
    # The new user logs in.
    from tests.conftest import Portal

    assert Portal(app.test_client()).login_identity(world.org.kvk_nummer, "nieuw-pseudo").status_code == 302
    assert beheer.client.get(f"/accountbeheer/aanvragen/{aanvraag.id}").status_code == 404


def test_a_request_can_be_rejected_with_a_reason(portal, beheer, world):
    _aanvragen(portal, world.org.kvk_nummer, "afgewezen-pseudo", contracten=world.contract_a.nummer)
    aanvraag = db.session.scalar(select(AccountAanvraag))
    zonder = beheer.post(f"/accountbeheer/aanvragen/{aanvraag.id}/afwijzen", {"reden": ""})
    assert zonder.status_code == 422 and "Vul de reden" in zonder.get_data(as_text=True)
    # The approval form beside it still holds the wishes.
    assert re.search(
        rf'<input checked[^>]*name="contracten"[^>]*value="{world.contract_a.id}"',
        zonder.get_data(as_text=True),
    )
    assert (
        beheer.post(
            f"/accountbeheer/aanvragen/{aanvraag.id}/afwijzen", {"reden": "Niet in dienst"}
        ).status_code
        == 303
    )
    db.session.expire_all()
    assert aanvraag.status == "afgewezen" and aanvraag.reden == "Niet in dienst"


def test_request_errors_are_dutch_and_keep_input(portal, world):
    response = _aanvragen(portal, world.org.kvk_nummer, "p2", email="fout", rollen=[])
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Vul een geldig e-mailadres in" in html and "Kies ten minste één rol." in html
    assert 'value="Nieuwe Medewerker"' in html
    assert db.session.scalar(select(AccountAanvraag)) is None


def test_a_second_open_request_is_refused(portal, world):
    _aanvragen(portal, world.org.kvk_nummer, "p3")
    again = portal.post(
        "/account-aanvragen",
        {"organisatie": "A", "naam": "B", "email": "b@a.nl", "rollen": ["financieel"]},
        csrf_from="/inloggen",
    )
    # The identity left the session with the first request: the form asks to log in again.
    assert "Log daarom eerst in" in again.get_data(as_text=True)
    response = _aanvragen(portal, world.org.kvk_nummer, "p3")
    assert response.status_code == 422 and "al een aanvraag" in response.get_data(as_text=True)


def test_without_an_accountbeheerder_the_back_office_decides(portal, runner, world):
    kvk = "87654321"
    _aanvragen(portal, kvk, "onbekend-pseudo", organisatie="Bakkerij Nieuw")
    aanvraag = db.session.scalar(select(AccountAanvraag))
    assert aanvraag.organisatie_id is None
    lijst = runner.invoke(args=["accountaanvragen"])
    assert f"#{aanvraag.id}" in lijst.output and "organisatie onbekend" in lijst.output
    fout = runner.invoke(args=["accountaanvraag-goedkeuren", str(aanvraag.id), "--rol", "administratief"])
    assert fout.exit_code != 0 and "maak die eerst aan" in fout.output
    runner.invoke(
        args=["organisatie-aanmaken", "--naam", "Bakkerij Nieuw", "--kvk", kvk, "--soort", "werkgever"]
    )
    runner.invoke(
        args=[
            "contract-aanmaken",
            "--kvk",
            kvk,
            "--nummer",
            "77001",
            "--naam",
            "Bakkerij",
            "--ingangsdatum",
            "01-01-2026",
            "--collectiviteitsnummer",
            "C77001",
        ]
    )
    goed = runner.invoke(
        args=[
            "accountaanvraag-goedkeuren",
            str(aanvraag.id),
            "--rol",
            "accountbeheer",
            "--rol",
            "administratief",
            "--contract",
            "77001",
        ]
    )
    assert goed.exit_code == 0, goed.output
    account = db.session.scalar(select(Gebruiker).where(Gebruiker.pseudoniem == "onbekend-pseudo"))
    assert account.rollen == {"accountbeheer", "administratief"}
    assert [c.nummer for c in account.contracten] == ["77001"]
    assert portal.login_identity(kvk, "onbekend-pseudo").status_code == 302
