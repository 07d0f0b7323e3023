"""The access matrix: every route × every role, anonymous, and with a foreign contract."""

from __future__ import annotations

import re
import secrets
from datetime import date

import pytest
from sqlalchemy import select

from portal.domain import credentials
from portal.extensions import db
from portal.models import (
    AanmeldConcept,
    AccountAanvraag,
    ApiCredential,
    AuthSession,
    Contract,
    Gebruiker,
    Melding,
    Polis,
    Upload,
    UploadRegel,
)
from portal.transaction import transaction
from portal.web.navigation import NAVIGATIE
from tests import factories
from tests.access_matrix import API, PUBLIC, ROUTES

pytestmark = pytest.mark.postgres

ROLLEN = ["administratief", "financieel", "accountbeheer"]


def _rule_of(path: str) -> str:
    return (
        path.split("?")[0]
        .replace("{contract}", "<contract>")
        .replace("{persoon}", "<relatienummer>")
        .replace("{concept}", "<token>")
        .replace("{polis}", "<polisnummer>")
        .replace("{upload}", "<token>")
        .replace("{melding}", "<kenmerk>")
        .replace("2026-01-05", "<dag>")
        .replace("{koppeling}", "<gebruikersnaam>")
        .replace("{borderel}", "<int:borderel_id>")
        .replace("{bericht}", "<int:bericht_id>")
        .replace("{account}", "<int:account_id>")
        .replace("{aanvraag}", "<int:aanvraag_id>")
    )


def _fill(text: str, contract, persoon, concept: str = "onbekend") -> str:
    if "{polis}" in text:
        text = text.replace("{polis}", _polis(persoon, contract).polisnummer)
    if "{koppeling}" in text:
        text = text.replace("{koppeling}", _koppeling(contract).gebruikersnaam)
    if "{melding}" in text:
        text = text.replace("{melding}", _afgekeurd(contract).kenmerk)
    if "{upload}" in text:
        text = text.replace("{upload}", _upload(contract).opslag_naam)
    if "{borderel}" in text:
        text = text.replace("{borderel}", str(_borderel(contract)))
    if "{bericht}" in text:
        text = text.replace("{bericht}", str(_bericht(contract, persoon)))
    if "{account}" in text:
        text = text.replace("{account}", str(_collega(contract)))
    if "{aanvraag}" in text:
        text = text.replace("{aanvraag}", str(_aanvraag(contract)))
    return (
        text.replace("{contract}", contract.nummer)
        .replace("{persoon}", persoon.relatienummer)
        .replace("{concept}", concept)
    )


def _polis(persoon, contract) -> Polis:
    polis = db.session.scalar(select(Polis).where(Polis.persoon_id == persoon.id))
    if polis is None:
        polis = Polis(
            polisnummer=f"PT{persoon.relatienummer}",
            persoon_id=persoon.id,
            contract_id=contract.id,
            ingangsdatum=date(2020, 1, 1),
            betalingswijze="acceptgiro",
        )
        db.session.add(polis)
        db.session.commit()
    return polis


def _borderel(contract) -> int:
    """The id of this month's borderel of ``contract`` (made once)."""
    from portal.documents.borderel import DOCUMENTEN
    from portal.domain import borderellen
    from portal.domain.dates import vandaag

    with transaction():
        return borderellen.genereer(contract, vandaag(), documenten=DOCUMENTEN).borderel_id


def _bericht(contract, persoon) -> int:
    """A bericht of ``contract``."""
    from portal.domain import berichten

    bericht = berichten.afmelding_ontvangen(contract, persoon)
    db.session.commit()
    return bericht.id


def _collega(contract) -> int:
    """The id of a colleague's account in the organisation of ``contract`` (made once)."""
    collega = db.session.scalar(
        select(Gebruiker).where(
            Gebruiker.organisatie_id == contract.organisatie_id, Gebruiker.naam == "Collega"
        )
    )
    if collega is None:
        collega = factories.gebruiker(
            contract.organisatie, rollen=("administratief",), contracten=[contract], naam="Collega"
        )
        db.session.commit()
    return collega.id


def _aanvraag(contract) -> int:
    """An open account request for the organisation of ``contract``."""
    aanvraag = AccountAanvraag(
        organisatie_naam="Alfa",
        kvk_nummer=contract.organisatie.kvk_nummer,
        naam="Aanvrager",
        email="a@alfa.nl",
        pseudoniem=secrets.token_hex(6),
        gewenste_rollen=["administratief"],
        organisatie_id=contract.organisatie_id,
    )
    db.session.add(aanvraag)
    db.session.commit()
    return aanvraag.id


def _koppeling(contract) -> ApiCredential:
    """API credentials of the contract's organisation."""
    profiel = db.session.scalar(
        select(ApiCredential).where(ApiCredential.organisatie_id == contract.organisatie_id)
    )
    if profiel is None:
        profiel, _ = credentials.issue(contract.organisatie, f"api-{contract.nummer}")
        db.session.commit()
    return profiel


def _afgekeurd(contract) -> Melding:
    """An open afgekeurde afmelding of ``contract``."""
    melding = db.session.scalar(
        select(Melding).where(Melding.contract_id == contract.id, Melding.status == "afgekeurd")
    )
    if melding is None:
        melding = Melding(
            bron="upload:0",
            kanaal="upload",
            extern_id=secrets.token_hex(8),
            soort="afmelding",
            contract_id=contract.id,
            status="afgekeurd",
            gegevens={
                "melding_id": "x",
                "soort": "afmelding",
                "collectiviteitsnummer": contract.collectiviteitsnummer,
            },
            fouten=[{"code": "einddatum_ongeldig", "bericht": "Vul de einddatum in.", "veld": "einddatum"}],
        )
        db.session.add(melding)
        db.session.commit()
    return melding


def _upload(contract) -> Upload:
    """A checked upload of one line for ``contract``."""
    upload = db.session.scalar(select(Upload).where(Upload.contract_id == contract.id))
    if upload is None:
        upload = Upload(
            contract_id=contract.id,
            oorspronkelijke_naam="m.csv",
            opslag_naam=secrets.token_hex(16),
            status="gecontroleerd",
            totaal=1,
        )
        db.session.add(upload)
        db.session.flush()
        db.session.add(
            UploadRegel(
                upload_id=upload.id,
                regelnummer=2,
                gegevens={
                    "melding_id": "regel-2",
                    "soort": "afmelding",
                    "collectiviteitsnummer": contract.collectiviteitsnummer,
                },
            )
        )
        db.session.commit()
    return upload


def _concept(portal, contract) -> str:
    """A wizard draft for ``contract``: the user's own when it may make one, else one of another
    user's login session (which must stay invisible)."""
    response = portal.post("/nieuwe-deelnemer", {"contract": contract.nummer})
    if response.status_code == 303:
        return response.headers["Location"].split("/")[2]
    eigenaar = db.session.scalar(
        select(Gebruiker).join(Gebruiker.contracten).where(Contract.id == contract.id)
    )
    sessie = AuthSession(token_hash=secrets.token_hex(32), gebruiker_id=eigenaar.id, loa="loa3")
    concept = AanmeldConcept(token=secrets.token_urlsafe(24), auth_session=sessie, contract_id=contract.id)
    db.session.add_all([sessie, concept])
    db.session.commit()
    return concept.token


def test_every_route_is_in_the_matrix(app):
    listed = {(_rule_of(r.path), r.method) for r in ROUTES} | PUBLIC | API
    missing = []
    for rule in app.url_map.iter_rules():
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if (rule.rule, method) not in listed:
                missing.append((rule.rule, method))
    assert not missing, f"routes missing from tests/access_matrix.py: {missing}"


def _request(portal, route, contract, persoon):
    concept = _concept(portal, contract) if "{concept}" in route.path else "onbekend"
    path = _fill(route.path, contract, persoon, concept)
    if route.method == "GET":
        return portal.client.get(path)
    return portal.post(
        path, {_fill(k, contract, persoon): _fill(v, contract, persoon) for k, v in route.data.items()}
    )


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path} {r.data}")
def test_anonymous_is_sent_to_login(client, world, route):
    path = _fill(route.path, world.contract_a, world.persoon_a)
    response = client.open(path, method=route.method)
    if route.method == "POST":
        # Without a session there is no CSRF token either: refused before anything else.
        assert response.status_code in (302, 400)
    else:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/inloggen")


@pytest.mark.parametrize("rol", ROLLEN)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path} {r.data}")
def test_roles(login_as, world, route, rol):
    portal = login_as(rol)
    response = _request(portal, route, world.contract_a, world.persoon_a)
    if rol in route.rollen:
        assert response.status_code not in (401, 403, 404, 405), response.status_code
    else:
        assert response.status_code == 403


def _names_an_object(route) -> bool:
    return any("{" in text for text in (route.path, *route.data.values()))


@pytest.mark.parametrize(
    "route", [r for r in ROUTES if _names_an_object(r)], ids=lambda r: f"{r.method} {r.path} {r.data}"
)
def test_foreign_contract_or_person_is_404(login_as, world, route):
    rol = sorted(route.rollen)[0]
    portal = login_as(rol)
    assert _request(portal, route, world.contract_b, world.persoon_b).status_code == 404


@pytest.mark.parametrize(
    "route", [r for r in ROUTES if "{persoon}" in r.path], ids=lambda r: f"{r.method} {r.path}"
)
def test_own_contract_with_a_foreign_person_is_404(login_as, world, route):
    portal = login_as(sorted(route.rollen)[0])
    assert _request(portal, route, world.contract_a, world.persoon_b).status_code == 404


@pytest.mark.parametrize("rol", ROLLEN)
def test_dashboard_shows_only_what_the_role_may_use(login_as, app, rol):
    portal = login_as(rol)
    html = portal.client.get("/").get_data(as_text=True)
    for item in NAVIGATIE:
        if item.endpoint not in app.view_functions:
            continue
        shown = f">{item.label}</a>" in html
        assert shown == (rol in item.rollen), item.label


@pytest.mark.own_app  # adds a route
def test_htmx_request_without_the_role_gets_a_fragment(login_as, app):
    from portal.web import access

    @app.get("/alleen-financieel")
    @access.requires("financieel")
    def alleen_financieel():
        return "ok"

    portal = login_as("administratief")
    response = portal.client.get("/alleen-financieel", headers={"HX-Request": "true"})
    assert response.status_code == 403
    assert response.headers["HX-Retarget"] == "#paginamelding"
    assert "<html" not in response.get_data(as_text=True)
    assert "geen toegang" in response.get_data(as_text=True)


@pytest.mark.own_app  # adds a route
def test_contract_scope_helper_answers_404_for_foreign_contracts(app, world, login_as):
    from portal.web import access

    @app.get("/scope/<nummer>")
    @access.requires(*access.ELKE_ROL)
    def scope(nummer):
        return access.get_contract(nummer).naam

    portal = login_as("administratief")
    assert portal.client.get(f"/scope/{world.contract_a.nummer}").get_data(as_text=True) == "Gemeente Alfa"
    assert portal.client.get(f"/scope/{world.contract_b.nummer}").status_code == 404
    assert portal.client.get("/scope/99999999").status_code == 404


def _bevoegd(login_as, world, route):
    """A user with a role the route allows, and the route's path filled for contract A."""
    portal = login_as(sorted(route.rollen)[0])
    concept = _concept(portal, world.contract_a) if "{concept}" in route.path else "onbekend"
    return portal, _fill(route.path, world.contract_a, world.persoon_a, concept)


_VELD = re.compile(r'<(?:input|textarea|select)\b[^>]*\bname="([^"]+)"')
# Longer than any column, larger than any database integer, negative, not a number, and dates at
# both ends of the calendar (a day added or taken off must not overflow).
_VREEMD = ("Ab" * 3000, "99999999999999999999999", "-1", "abc", "31-12-9999", "01-01-0001", "9999-12-31")


@pytest.mark.parametrize(
    "route",
    [r for r in ROUTES if r.method == "POST" and r.rollen],
    ids=lambda r: f"{r.method} {r.path} {r.data}",
)
def test_every_form_field_answers_odd_values_without_a_500(login_as, world, route):
    """One field at a time, the others valid: a field the form does not check is then used.
    PostgreSQL enforces column lengths and integer ranges where SQLite does not; without checks
    a long account name or correction, for instance, was a 500 there."""
    portal, path = _bevoegd(login_as, world, route)
    pagina = portal.client.get(path.split("?")[0])
    geldig = {
        _fill(k, world.contract_a, world.persoon_a): _fill(v, world.contract_a, world.persoon_a)
        for k, v in route.data.items()
    }
    velden = set(geldig)
    if pagina.status_code == 200:
        velden |= set(_VELD.findall(pagina.get_data(as_text=True)))
    for veld in sorted(velden - {"csrf_token"}):
        for waarde in _VREEMD:
            response = portal.post(path, {**geldig, veld: waarde})
            assert response.status_code < 500, (veld, waarde[:30])


@pytest.mark.parametrize(
    "route",
    [r for r in ROUTES if r.rollen and "{" in r.path.split("?")[0]],
    ids=lambda r: f"{r.method} {r.path} {r.data}",
)
def test_an_id_in_the_path_beyond_any_database_integer_is_404(login_as, world, route):
    """Werkzeug takes any number for ``<int:...>``; PostgreSQL refused it in the query (a 500)."""
    portal, path = _bevoegd(login_as, world, route)
    for getal in re.finditer(r"(?<=/)\d+(?=/|\?|$)", path):
        groot = path[: getal.start()] + "99999999999999999999999" + path[getal.end() :]
        response = portal.client.get(groot) if route.method == "GET" else portal.post(groot, {})
        response.close()
        assert response.status_code == 404, (groot, response.status_code)


_PARAMETERS = ("pagina", "per_pagina", "sorteer", "contract", "periode", "jaar", "van", "tot")


@pytest.mark.parametrize(
    "route", [r for r in ROUTES if r.method == "GET" and r.rollen], ids=lambda r: f"{r.method} {r.path}"
)
def test_every_page_answers_odd_query_parameters_without_a_500(login_as, world, route):
    """Paging, sorting and choices read from the URL: a page number beyond what PostgreSQL takes
    as an offset was a 500 on Mislukte verwerkingen."""
    portal, path = _bevoegd(login_as, world, route)
    scheiding = "&" if "?" in path else "?"
    for naam in _PARAMETERS:
        for waarde in _VREEMD:
            response = portal.client.get(f"{path}{scheiding}{naam}={waarde}")
            response.close()  # a streamed download ends its request context
            assert response.status_code < 500, (naam, waarde[:30])
