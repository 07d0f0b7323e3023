"""Huidige deelnemers through the Flask test client: search, details, afmelden, downloads, audit."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import openpyxl
import pytest
from flask import url_for
from sqlalchemy import func, select

from portal.documents import exports
from portal.domain import zoeken
from portal.domain.dates import vandaag
from portal.extensions import db
from portal.models import AuditLog, Bericht, Deelname, Melding, Polis, PolisProduct
from tests import factories
from tests.login import csrf_token

pytestmark = pytest.mark.postgres


@pytest.fixture
def admin(login_as):
    return login_as("administratief")


@pytest.fixture
def mensen(world):
    """A handful of deelnemers of contract A with names that exercise the search."""
    c = world.contract_a
    maak = {
        "berg": {
            "voorletters": "A.J.",
            "voorvoegsel": "van der",
            "achternaam": "Berg",
            "geboortedatum": date(1946, 5, 11),
            "geslacht": "V",
        },
        "bergen": {"voorletters": "B.", "voorvoegsel": None, "achternaam": "Bergen"},
        "muller": {"voorletters": "K.", "voorvoegsel": None, "achternaam": "Müller"},
        "obrien": {"voorletters": "S.", "voorvoegsel": None, "achternaam": "O'Brien"},
        "procent": {"voorletters": "P.", "voorvoegsel": None, "achternaam": "Pro%cent_Test"},
        "formule": {"voorletters": "F.", "voorvoegsel": None, "achternaam": '=HYPERLINK("http://x")'},
    }
    personen = {}
    for sleutel, velden in maak.items():
        p = factories.persoon(**velden)
        factories.deelname(p, c, ingangsdatum=date(2020, 1, 1))
        personen[sleutel] = p
    db.session.commit()
    return personen


def _zoek(portal, **params):
    return portal.client.get("/deelnemers", query_string=params, headers={"HX-Request": "true"})


def _namen(response) -> str:
    return response.get_data(as_text=True)


# -- search ---------------------------------------------------------------------------------


@pytest.mark.parametrize("term", ["berg", "BERG", "Berg", "van der Berg", "Van Der B", "van  der   berg"])
def test_achternaam_matches_prefix_with_or_without_voorvoegsel(admin, mensen, term):
    html = _namen(_zoek(admin, achternaam=term))
    assert "A.J. van der Berg" in html
    assert "Aantal deelnemers:" in html


def test_achternaam_is_a_prefix_not_a_substring(admin, mensen):
    html = _namen(_zoek(admin, achternaam="erg"))
    assert "Aantal deelnemers: 0" in html


def test_achternaam_ignores_accents_and_punctuation(admin, mensen):
    assert "K. Müller" in _namen(_zoek(admin, achternaam="muller"))
    assert "K. Müller" in _namen(_zoek(admin, achternaam="Mül"))
    assert "S. O&#39;Brien" in _namen(_zoek(admin, achternaam="obr"))
    assert "S. O&#39;Brien" in _namen(_zoek(admin, achternaam="O'Bri"))


@pytest.mark.parametrize("term", ["%", "_", "'", '"', "%'--", "' OR 1=1 --"])
def test_wildcards_and_quotes_are_just_text(admin, mensen, term):
    response = _zoek(admin, achternaam=term)
    assert response.status_code == 200
    assert "Aantal deelnemers: 0" in _namen(response)


def test_percent_inside_a_name_is_found_as_text(admin, mensen):
    html = _namen(_zoek(admin, achternaam="Pro%c"))
    assert "Aantal deelnemers: 1" in html and "Pro%cent_Test" in html


def test_relatienummer_and_geboortedatum_match_exactly(admin, mensen):
    berg = mensen["berg"]
    html = _namen(_zoek(admin, relatienummer=berg.relatienummer))
    assert "Aantal deelnemers: 1" in html and "A.J. van der Berg" in html
    assert "Aantal deelnemers: 0" in _namen(_zoek(admin, relatienummer=berg.relatienummer[:-1]))
    html = _namen(_zoek(admin, geboortedatum="11-05-1946"))
    assert "Aantal deelnemers: 1" in html and "A.J. van der Berg" in html


def test_bsn_search_is_a_post_and_never_lands_in_a_url(admin, mensen):
    berg = mensen["berg"]
    token = admin.csrf("/deelnemers")
    response = admin.client.post(
        "/deelnemers",
        data={"csrf_token": token, "bsn": berg.bsn},
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "A.J. van der Berg" in html and "Aantal deelnemers: 1" in html
    assert berg.bsn not in response.headers["HX-Push-Url"]
    for href in html.split('href="')[1:]:
        assert berg.bsn not in href.split('"')[0]
    # Without JavaScript the same POST shows the page itself (no redirect to a URL with the BSN).
    page = admin.client.post("/deelnemers", data={"csrf_token": token, "bsn": berg.bsn})
    assert page.status_code == 200 and "A.J. van der Berg" in page.get_data(as_text=True)


def test_a_bsn_in_the_query_string_is_ignored(admin, mensen):
    html = _namen(_zoek(admin, bsn=mensen["berg"].bsn))
    assert f"Aantal deelnemers: {len(mensen) + 1}" in html  # the whole list: bsn= was not used


def test_plain_post_without_bsn_redirects_to_a_shareable_url(admin, mensen, world):
    response = admin.post(
        "/deelnemers", {"achternaam": "Berg", "contract": world.contract_a.nummer}, csrf_from="/deelnemers"
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/deelnemers?achternaam=Berg&contract={world.contract_a.nummer}"
    followed = admin.client.get(response.headers["Location"])
    assert "A.J. van der Berg" in followed.get_data(as_text=True)
    assert 'value="Berg"' in followed.get_data(as_text=True)  # the form keeps what was typed


def test_htmx_search_pushes_the_url_for_the_back_button(admin, mensen):
    token = admin.csrf("/deelnemers")
    response = admin.client.post(
        "/deelnemers",
        data={"csrf_token": token, "achternaam": "berg"},
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    assert response.headers["HX-Push-Url"] == "/deelnemers?achternaam=berg"
    assert "<html" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "veld,waarde,fout",
    [
        ("bsn", "123456789", "Dit BSN klopt niet"),
        ("bsn", "12345", "Dit BSN klopt niet"),
        ("geboortedatum", "31-02-1970", "Vul de geboortedatum in als dd-mm-jjjj"),
        ("geboortedatum", "1970/05/01", "Vul de geboortedatum in als dd-mm-jjjj"),
        ("relatienummer", "12ab", "Een relatienummer bestaat uit cijfers"),
    ],
)
def test_bad_search_input_gets_a_dutch_error_and_keeps_the_input(admin, mensen, veld, waarde, fout):
    response = admin.post("/deelnemers", {veld: waarde, "achternaam": "Berg"}, csrf_from="/deelnemers")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert fout in html
    assert f'value="{waarde}"' in html and 'value="Berg"' in html
    assert f'href="#{veld}"' in html  # the error summary links to the field


def test_results_are_limited_to_the_users_contracts(admin, world, mensen):
    html = _namen(_zoek(admin, achternaam="Betastra"))
    assert "Aantal deelnemers: 0" in html


def test_paging_and_page_size(admin, world):
    for i in range(30):
        factories.deelname(factories.persoon(achternaam=f"Pagina{i:02d}"), world.contract_a)
    db.session.commit()
    eerste = _namen(_zoek(admin, achternaam="pagina", per_pagina=10))
    assert "Aantal deelnemers: 30" in eerste and "pagina 1 van 3" in eerste
    assert "Pagina00" in eerste and "Pagina09" in eerste and "Pagina10" not in eerste
    derde = _namen(_zoek(admin, achternaam="pagina", per_pagina=10, pagina=3))
    assert "Pagina29" in derde and "Pagina19" not in derde
    assert "Pagina29" in _namen(_zoek(admin, achternaam="pagina", per_pagina=10, pagina=99))
    assert "pagina 1 van 1" in _namen(_zoek(admin, achternaam="pagina", per_pagina=50))
    assert "pagina 1 van 2" in _namen(_zoek(admin, achternaam="pagina", per_pagina=7))  # 25


def test_sorting_by_date_columns(admin, world):
    for jaar in (2016, 2012, 2020):
        p = factories.persoon(achternaam="Sorteer", geboortedatum=date(1950 + jaar % 100, 1, 1))
        factories.deelname(p, world.contract_a, ingangsdatum=date(jaar, 3, 1))
    db.session.commit()
    html = _namen(_zoek(admin, achternaam="sorteer", sorteer="ingangsdatum"))
    assert html.index("01-03-2012") < html.index("01-03-2016") < html.index("01-03-2020")
    html = _namen(_zoek(admin, achternaam="sorteer", sorteer="-ingangsdatum"))
    assert html.index("01-03-2020") < html.index("01-03-2016") < html.index("01-03-2012")
    assert 'aria-sort="descending"' in html


def test_a_broad_search_counts_up_to_a_limit(admin, world, monkeypatch):
    monkeypatch.setattr(zoeken, "MAX_TELLING", 3)
    for i in range(5):
        factories.deelname(factories.persoon(achternaam=f"Breed{i}"), world.contract_a)
    db.session.commit()
    assert "Aantal deelnemers: meer dan 3" in _namen(_zoek(admin, achternaam="breed"))
    # The full list of a contract is counted exactly.
    assert "Aantal deelnemers: 6" in _namen(_zoek(admin, contract=world.contract_a.nummer))


def test_ended_deelnames_only_show_for_an_identifier_search(admin, world):
    p = factories.persoon(achternaam="Vertrokken")
    factories.deelname(
        p,
        world.contract_a,
        ingangsdatum=date(2015, 1, 1),
        einddatum=date(2016, 1, 1),
        reden_einde="einde_collectiviteit",
    )
    db.session.commit()
    assert "Aantal deelnemers: 0" in _namen(_zoek(admin, achternaam="Vertrokken"))
    html = _namen(_zoek(admin, relatienummer=p.relatienummer))
    assert "Aantal deelnemers: 1" in html and "01-01-2016" in html


def test_names_are_escaped(admin, world):
    factories.deelname(factories.persoon(achternaam='"><img src=x onerror=alert(1)>'), world.contract_a)
    db.session.commit()
    html = _namen(_zoek(admin))
    assert "<img src=x" not in html and "&lt;img src=x" in html


def test_row_links_are_the_routes_they_point_to(admin, world, mensen, app):
    """The rows join their links onto one base path instead of a url_for each: they must still
    be exactly the routes' URLs."""
    berg, nummer = mensen["berg"], world.contract_a.nummer
    html = _namen(_zoek(admin, relatienummer=berg.relatienummer))
    with app.test_request_context():
        verwacht = [
            url_for("deelnemers.details", relatienummer=berg.relatienummer),
            url_for("deelnemers.afmelden", relatienummer=berg.relatienummer, contract=nummer),
            url_for("aanmelden.bijschrijven", relatienummer=berg.relatienummer, contract=nummer),
        ]
    for href in verwacht:
        assert f'href="{href}"' in html


def test_search_is_audited_without_the_bsn(admin, mensen, app):
    berg = mensen["berg"]
    token = admin.csrf("/deelnemers")
    admin.client.post(
        "/deelnemers",
        data={"csrf_token": token, "bsn": berg.bsn},
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    entry = db.session.scalars(
        select(AuditLog).where(AuditLog.gebeurtenis == "deelnemers_zoeken").order_by(AuditLog.id.desc())
    ).first()
    assert entry.actie == "read"
    assert entry.relatienummers == [berg.relatienummer]
    assert entry.details["aantal"] == 1
    assert entry.details["zoekopdracht"]["bsn"] == "opgegeven"
    assert berg.bsn not in str(entry.details)


# -- details --------------------------------------------------------------------------------


def test_details_show_person_deelnames_gezin_polis_meldingen_berichten(admin, world):
    c = world.contract_a
    hoofd = factories.persoon(achternaam="Gezin", voorletters="H.")
    partner = factories.persoon(achternaam="Gezin", voorletters="P.", geslacht="V")
    d = factories.deelname(hoofd, c)
    factories.deelname(partner, c, rol="partner", hoofd_deelname=d)
    product = factories.product()
    polis = Polis(
        polisnummer="P-TEST-1",
        persoon_id=hoofd.id,
        contract_id=c.id,
        ingangsdatum=date(2020, 1, 1),
        betalingswijze="acceptgiro",
    )
    polis.producten.append(PolisProduct(product=product, ingangsdatum=date(2020, 1, 1)))
    db.session.add(polis)
    db.session.add(
        Melding(
            bron="test",
            kanaal="upload",
            extern_id="m1",
            soort="aanmelding",
            contract_id=c.id,
            persoon_id=hoofd.id,
            status="verwerkt",
        )
    )
    db.session.add(
        Bericht(
            contract_id=c.id,
            categorie="Bevestiging",
            persoon_id=hoofd.id,
            tekst="Aanmelding de heer H. Gezin voor contract X ontvangen",
        )
    )
    db.session.commit()
    response = admin.client.get(f"/deelnemers/{hoofd.relatienummer}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for tekst in (
        hoofd.bsn,
        hoofd.relatienummer,
        "Hoofdverzekerde",
        "P. Gezin",
        "Partner",
        "P-TEST-1",
        "Product BASIS",
        "Acceptgiro",
        "Upload",
        "Verwerkt",
        "Aanmelding de heer H. Gezin",
        "Afmelden",
        "Gezinsleden bijschrijven",
    ):
        assert tekst in html, tekst
    entry = db.session.scalars(select(AuditLog).where(AuditLog.gebeurtenis == "deelnemer_bekeken")).one()
    assert entry.relatienummers == [hoofd.relatienummer]


def test_details_of_a_person_outside_the_contracts_is_404_and_logged(admin, world):
    assert admin.client.get(f"/deelnemers/{world.persoon_b.relatienummer}").status_code == 404
    assert admin.client.get("/deelnemers/99999999").status_code == 404
    refused = db.session.scalars(select(AuditLog).where(AuditLog.uitkomst == "geweigerd")).all()
    assert [e.relatienummers for e in refused] == [[world.persoon_b.relatienummer]]


# -- afmelden -------------------------------------------------------------------------------


def _afmelden(portal, persoon, contract, einddatum, reden="einde_collectiviteit", mee=None, htmx=True):
    prefix = f"af-{persoon.relatienummer}-{contract.nummer}"
    path = f"/deelnemers/{persoon.relatienummer}/afmelden/{contract.nummer}"
    token = csrf_token(portal.client.get(path).get_data(as_text=True))
    data = {"csrf_token": token, f"{prefix}-einddatum": einddatum, f"{prefix}-reden": reden}
    if mee is not None:
        data[f"{prefix}-mee"] = mee
    headers = {"HX-Request": "true", "X-CSRFToken": token} if htmx else {}
    return portal.client.post(path, data=data, headers=headers)


def _d(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def test_afmelden_updates_the_row_and_confirms(admin, world):
    p = factories.persoon(achternaam="Groot", voorletters="D.", geslacht="M")
    d = factories.deelname(p, world.contract_a)
    db.session.commit()
    einde = vandaag() + timedelta(days=30)
    response = _afmelden(admin, p, world.contract_a, _d(einde))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="rij-{p.relatienummer}-{world.contract_a.nummer}" hx-swap-oob="true"' in html
    assert _d(einde) in html and "is verwerkt" in html
    db.session.expire_all()
    assert db.session.get(Deelname, d.id).einddatum == einde
    assert db.session.get(Deelname, d.id).reden_einde == "einde_collectiviteit"
    bericht = db.session.scalars(select(Bericht).where(Bericht.persoon_id == p.id)).one()
    assert bericht.categorie == "Bevestiging"
    assert bericht.tekst == f"Afmelding de heer D. Groot voor contract {world.contract_a.nummer} ontvangen"
    melding = db.session.scalars(select(Melding).where(Melding.persoon_id == p.id)).one()
    assert (melding.soort, melding.kanaal, melding.status) == ("afmelding", "portal", "verwerkt")
    assert db.session.scalars(select(AuditLog).where(AuditLog.gebeurtenis == "deelnemer_afmelden")).one()


def test_afmelden_without_javascript_redirects_to_the_details(admin, world):
    p = factories.persoon(achternaam="Zonderjs")
    factories.deelname(p, world.contract_a)
    db.session.commit()
    response = _afmelden(admin, p, world.contract_a, _d(vandaag()), htmx=False)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/deelnemers/{p.relatienummer}"
    assert "is verwerkt" in admin.client.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize(
    "einddatum,reden,code_tekst",
    [
        ("", "einde_collectiviteit", "Vul de einddatum in als dd-mm-jjjj"),
        ("31-02-2026", "einde_collectiviteit", "Vul de einddatum in als dd-mm-jjjj"),
        ("01-01-2019", "einde_collectiviteit", "vóór de ingangsdatum 01-01-2020"),
        ("{te_vroeg}", "einde_collectiviteit", "hoogstens 120 dagen terug"),
        ("{te_laat}", "einde_collectiviteit", "hoogstens 365 dagen vooruit"),
        ("{morgen}", "overleden", "kan niet na vandaag"),
        ("{vandaag}", "iets", "Kies een reden"),
    ],
)
def test_afmelden_rules_refuse_with_a_dutch_error_and_keep_input(admin, world, einddatum, reden, code_tekst):
    p = factories.persoon(achternaam="Regel")
    d = factories.deelname(p, world.contract_a, ingangsdatum=date(2020, 1, 1))
    db.session.commit()
    today = vandaag()
    waarde = einddatum.format(
        te_vroeg=_d(today - timedelta(days=121)),
        te_laat=_d(today + timedelta(days=366)),
        morgen=_d(today + timedelta(days=1)),
        vandaag=_d(today),
    )
    response = _afmelden(admin, p, world.contract_a, waarde, reden)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert code_tekst in html
    assert f'value="{waarde}"' in html
    db.session.expire_all()
    assert db.session.get(Deelname, d.id).einddatum is None


def test_window_edges_are_accepted(admin, world):
    today = vandaag()
    for dagen in (-120, 365):
        p = factories.persoon(achternaam="Rand")
        factories.deelname(p, world.contract_a, ingangsdatum=date(2020, 1, 1))
        db.session.commit()
        assert _afmelden(admin, p, world.contract_a, _d(today + timedelta(days=dagen))).status_code == 200


def test_an_afgemelde_deelname_cannot_be_afgemeld_again(admin, world):
    p = factories.persoon(achternaam="Twee")
    factories.deelname(p, world.contract_a)
    db.session.commit()
    assert _afmelden(admin, p, world.contract_a, _d(vandaag())).status_code == 200
    response = _afmelden(admin, p, world.contract_a, _d(vandaag()))
    assert response.status_code == 422
    assert "al afgemeld" in response.get_data(as_text=True)


def _gezin(world, met_partner=True, kinderen=2):
    c = world.contract_a
    hoofd = factories.persoon(achternaam="Huis", voorletters="H.")
    dh = factories.deelname(hoofd, c, ingangsdatum=date(2020, 1, 1))
    leden = []
    if met_partner:
        leden.append(
            factories.deelname(
                factories.persoon(achternaam="Huis", voorletters="P."),
                c,
                rol="partner",
                hoofd_deelname=dh,
                ingangsdatum=date(2020, 1, 1),
            )
        )
    for i in range(kinderen):
        leden.append(
            factories.deelname(
                factories.persoon(achternaam="Huis", voorletters=f"K{i}."),
                c,
                rol="kind",
                hoofd_deelname=dh,
                ingangsdatum=date(2020, 1, 1),
            )
        )
    db.session.commit()
    return hoofd, dh, leden


def test_einde_collectiviteit_of_a_hoofdverzekerde_ends_the_gezin_by_default(admin, world):
    hoofd, dh, leden = _gezin(world)
    form = admin.client.get(f"/deelnemers/{hoofd.relatienummer}/afmelden/{world.contract_a.nummer}")
    html = form.get_data(as_text=True)
    assert html.count('type="checkbox"') == 3 and html.count("checked") == 3
    response = _afmelden(
        admin, hoofd, world.contract_a, _d(vandaag()), mee=[lid.persoon.relatienummer for lid in leden]
    )
    assert response.status_code == 200
    db.session.expire_all()
    assert all(db.session.get(Deelname, d.id).einddatum == vandaag() for d in [dh, *leden])
    assert db.session.scalar(select(func.count()).select_from(Bericht)) == 4


def test_kept_partner_becomes_hoofdverzekerde_of_kept_children(admin, world):
    hoofd, dh, (partner, kind1, kind2) = _gezin(world)
    response = _afmelden(admin, hoofd, world.contract_a, _d(vandaag()), mee=[kind2.persoon.relatienummer])
    assert response.status_code == 200
    assert "P. Huis is nu hoofdverzekerde" in response.get_data(as_text=True)
    db.session.expire_all()
    partner, kind1, kind2 = (db.session.get(Deelname, d.id) for d in (partner, kind1, kind2))
    assert partner.einddatum is None and partner.rol == "hoofdverzekerde"
    assert partner.hoofd_deelname_id is None
    assert kind1.einddatum is None and kind1.hoofd_deelname_id == partner.id
    assert kind2.einddatum == vandaag()


def test_overleden_ends_only_that_person_and_the_polis(admin, world):
    hoofd, dh, (partner, kind1, kind2) = _gezin(world)
    product = factories.product()
    polis = Polis(
        polisnummer="P-OVERL",
        persoon_id=hoofd.id,
        contract_id=world.contract_a.id,
        ingangsdatum=date(2020, 1, 1),
        betalingswijze="automatische_incasso",
    )
    polis.producten.append(PolisProduct(product=product, ingangsdatum=date(2020, 1, 1)))
    db.session.add(polis)
    db.session.commit()
    overlijden = vandaag() - timedelta(days=200)  # late reported: the law ends it anyway
    # The form ticks the gezinsleden; with Overleden they stay all the same.
    response = _afmelden(
        admin,
        hoofd,
        world.contract_a,
        _d(overlijden),
        "overleden",
        mee=[lid.persoon.relatienummer for lid in (partner, kind1, kind2)],
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "eindigt na de overlijdensdatum" in html
    db.session.expire_all()
    assert db.session.get(Deelname, dh.id).einddatum == overlijden
    assert db.session.get(Deelname, dh.id).reden_einde == "overleden"
    partner = db.session.get(Deelname, partner.id)
    assert partner.einddatum is None and partner.rol == "hoofdverzekerde"
    assert db.session.get(Deelname, kind1.id).hoofd_deelname_id == partner.id
    polis = db.session.get(Polis, polis.id)
    assert polis.einddatum == overlijden and polis.producten[0].einddatum == overlijden


def test_einde_collectiviteit_keeps_the_polis_and_says_so(admin, world):
    p = factories.persoon(achternaam="Polishouder")
    factories.deelname(p, world.contract_a)
    polis = Polis(
        polisnummer="P-DOOR",
        persoon_id=p.id,
        contract_id=world.contract_a.id,
        ingangsdatum=date(2020, 1, 1),
        betalingswijze="acceptgiro",
    )
    db.session.add(polis)
    db.session.commit()
    einde = vandaag()
    html = _afmelden(admin, p, world.contract_a, _d(einde)).get_data(as_text=True)
    assert (
        "loopt door als individuele verzekering, zonder collectieve korting vanaf "
        f"{_d(einde + timedelta(days=1))}" in html
    )
    db.session.expire_all()
    assert db.session.get(Polis, polis.id).einddatum is None


def test_overleden_without_partner_leaves_children_as_deelnemer(admin, world):
    hoofd, dh, (kind1, kind2) = _gezin(world, met_partner=False)
    html = _afmelden(admin, hoofd, world.contract_a, _d(vandaag()), "overleden").get_data(as_text=True)
    assert "Zonder hoofdverzekerde blijven deelnemer: K0. Huis, K1. Huis" in html
    db.session.expire_all()
    assert db.session.get(Deelname, kind1.id).einddatum is None


def test_nothing_is_deleted_and_a_new_deelname_can_follow(admin, world):
    p = factories.persoon(achternaam="Terug")
    factories.deelname(p, world.contract_a)
    db.session.commit()
    voor = db.session.scalar(select(func.count()).select_from(Deelname))
    _afmelden(admin, p, world.contract_a, _d(vandaag() - timedelta(days=10)))
    assert db.session.scalar(select(func.count()).select_from(Deelname)) == voor
    factories.deelname(p, world.contract_a, ingangsdatum=vandaag())  # a new aanmelding
    db.session.commit()


# -- downloads ------------------------------------------------------------------------------


def test_excel_download_has_typed_cells_a_styled_header_and_no_formulas(admin, world, mensen):
    response = admin.client.get(f"/deelnemers/download.xlsx?contract={world.contract_a.nummer}")
    assert response.status_code == 200
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"deelnemers-{world.contract_a.nummer}-{vandaag().isoformat()}.xlsx" in disposition
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    sheet = book.active
    koppen = [c.value for c in sheet[1]]
    assert koppen == [
        "Contract",
        "Volledige naam",
        "BSN",
        "Relatienummer",
        "Geboortedatum",
        "Geslacht",
        "Ingangsdatum",
        "Einddatum",
    ]
    assert sheet["A1"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:H{len(mensen) + 2}"
    rows = {r[1].value: r for r in sheet.iter_rows(min_row=2)}
    berg = rows["A.J. van der Berg"]
    assert berg[2].value == mensen["berg"].bsn and berg[2].data_type == "s"
    assert berg[4].value.date() == date(1946, 5, 11) and berg[4].number_format == "dd-mm-yyyy"
    assert berg[7].value is None
    formule = rows['F. =HYPERLINK("http://x")']
    assert formule[1].data_type == "s"
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f"
    naam_cellen = [r[1] for r in sheet.iter_rows(min_row=2)]
    assert all(c.data_type == "s" for c in naam_cellen)


def test_an_export_reads_through_a_small_page_cache_and_restores_it(app, world):
    """On SQLite the rows are read with a 2 MB page cache (a big list would otherwise fill the
    connection's 32 MB with pages read once); afterwards the connection has its own cache back."""
    conn = db.session.connection()
    if conn.dialect.name != "sqlite":
        pytest.skip("a SQLite page cache setting")
    gewoon = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    tijdens = []

    def rijen():
        tijdens.append(conn.exec_driver_sql("PRAGMA cache_size").scalar())
        yield ("1", "A")

    kolommen = [exports.Kolom("Nummer", 10), exports.Kolom("Naam", 10)]
    exports.xlsx_bestand(kolommen, rijen(), "Blad").close()
    assert b"".join(exports.csv_stroom(kolommen, rijen())).count(b"\r\n") == 2
    assert tijdens == [-2000, -2000]
    assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == gewoon == -32768


def test_excel_neutralises_text_that_starts_like_a_formula(admin, world):
    for naam in ("=1+2", "+31", "-2", "@SUM(A1)", "\tTab"):
        factories.deelname(factories.persoon(voorletters="", achternaam=naam), world.contract_a)
    db.session.commit()
    sheet = openpyxl.load_workbook(io.BytesIO(admin.client.get("/deelnemers/download.xlsx").data)).active
    cellen = {r[1].value: r[1] for r in sheet.iter_rows(min_row=2)}
    for naam in ("=1+2", "+31", "-2", "@SUM(A1)", "\tTab"):
        cell = cellen[naam]
        assert cell.data_type == "s" and cell.quotePrefix, naam


def test_csv_download_is_semicolon_utf8_bom_and_neutralised(admin, world, mensen):
    response = admin.client.get(f"/deelnemers/download.csv?contract={world.contract_a.nummer}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Contract", "Volledige naam", "BSN"]
    by_name = {r[1]: r for r in rows[1:]}
    assert by_name["A.J. van der Berg"][4] == "11-05-1946"
    assert by_name["K. Müller"]  # accents survive
    assert '\'F. =HYPERLINK("http://x")' not in by_name  # the name starts with F., no prefix
    factories.deelname(factories.persoon(voorletters="", achternaam="=cmd|' /C calc'!A0"), world.contract_a)
    db.session.commit()
    rows = list(
        csv.reader(
            io.StringIO(admin.client.get("/deelnemers/download.csv").data.decode("utf-8-sig")), delimiter=";"
        )
    )
    assert "'=cmd|' /C calc'!A0" in [r[1] for r in rows]


def test_exports_are_audited_and_rate_limited(app, world, login_as):
    app.config["RATELIMIT_ENABLED"] = True
    from portal.extensions import limiter

    limiter.reset()
    admin = login_as("administratief")
    statuses = [admin.client.get("/deelnemers/download.csv").status_code for _ in range(11)]
    assert statuses[:10] == [200] * 10 and statuses[10] == 429
    exports = db.session.scalars(
        select(AuditLog).where(AuditLog.gebeurtenis == "deelnemers_downloaden")
    ).all()
    assert len(exports) == 10 and {e.actie for e in exports} == {"export"}


def test_alle_contracten_of_a_user_with_several_shows_theirs_and_nothing_of_another_organisation(
    app, world, portal
):
    """'Alle contracten' of a user with two contracts is scoped by a subquery on the user's
    contracts (not a list of ids): the screen, the BSN search and the download show the same
    people of both contracts, and a person of another organisation's contract never, not even
    when the other contract holds the same surname."""
    tweede = factories.contract(world.org, naam="Gemeente Alfa bis")
    gebruiker = factories.gebruiker(world.org, contracten=[world.contract_a, tweede], naam="Twee Contracten")
    eigen = [factories.persoon(achternaam="Zelfde") for _ in range(2)]
    factories.deelname(eigen[0], world.contract_a)
    factories.deelname(eigen[1], tweede)
    vreemd = factories.persoon(achternaam="Zelfde")
    factories.deelname(vreemd, world.contract_b)
    db.session.commit()
    portal.login(gebruiker)

    html = _namen(_zoek(portal, achternaam="zelfde"))
    assert "Aantal deelnemers: 2" in html
    assert all(p.relatienummer in html for p in eigen) and vreemd.relatienummer not in html
    alles = _namen(_zoek(portal))
    assert "Aantal deelnemers: 3" in alles  # Alfastra and the two, not Betastra or the stranger
    assert world.persoon_b.relatienummer not in alles and vreemd.relatienummer not in alles

    token = portal.csrf("/deelnemers")
    gevonden = portal.client.post("/deelnemers", data={"csrf_token": token, "bsn": vreemd.bsn}).text
    assert "Aantal deelnemers: 0" in gevonden
    gevonden = portal.client.post("/deelnemers", data={"csrf_token": token, "bsn": eigen[1].bsn}).text
    assert "Aantal deelnemers: 1" in gevonden and eigen[1].relatienummer in gevonden

    rows = list(
        csv.reader(
            io.StringIO(portal.client.get("/deelnemers/download.csv").data.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    assert sorted(r[3] for r in rows[1:]) == sorted(
        [world.persoon_a.relatienummer, *(p.relatienummer for p in eigen)]
    )
