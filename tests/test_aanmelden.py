"""Nieuwe deelnemer and bijschrijven through the Flask test client, and the domain rules beneath."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from portal.demo.people import bsn_generator
from portal.domain import aanmelden as regels
from portal.domain import berichten, nummers
from portal.domain.dates import vandaag
from portal.domain.fouten import Afgekeurd
from portal.extensions import db
from portal.models import (
    AanmeldConcept,
    AuditLog,
    Bericht,
    Deelname,
    Melding,
    Persoon,
    Polis,
    PolisVerzending,
)
from tests import factories

pytestmark = pytest.mark.postgres

_bsns = bsn_generator("9997")


def d(day: date) -> str:
    return day.strftime("%d-%m-%Y")


@pytest.fixture
def aanbod(world):
    """Contract A offers a basisverzekering, two levels of aanvullend and a tand pakket."""
    jaar = vandaag().year
    producten = {}
    for code, soort, groep, prijs, korting in (
        ("BASIS", "basis", None, "120.00", "5.00"),
        ("AV-GOED", "aanvullend", "AV", "20.00", "10.00"),
        ("AV-BETER", "aanvullend", "AV", "30.00", "10.00"),
        ("TAND", "aanvullend", None, "15.00", "0.00"),
    ):
        p = factories.product(code, soort, prijs, jaar)
        p.groep = groep
        for extra in (jaar - 1, jaar + 1):
            factories.tarief(p, extra, prijs)
        factories.aanbod(world.contract_a, p, korting)
        producten[code] = p
    world.contract_a.betalingswijzen = "automatische_incasso,acceptgiro"
    db.session.commit()
    return producten


@pytest.fixture
def admin(login_as, aanbod):
    return login_as("administratief")


def client_gegevens(**override) -> dict:
    data = {
        "bsn": next(_bsns),
        "voorletters": "M.",
        "voorvoegsel": "de",
        "achternaam": "Vries",
        "geslacht": "V",
        "geboortedatum": "14-02-1980",
        "nationaliteit": "Nederlandse",
        "postcode": "2311 AB",
        "huisnummer": "12",
        "huisnummer_toevoeging": "",
        "straat": "Breestraat",
        "woonplaats": "Leiden",
        "email": "",
        "telefoon": "",
        "ingangsdatum": d(vandaag().replace(day=1)),
    }
    data.update(override)
    return data


def lid(i: int, rol: str, **override) -> dict:
    data = {
        "rol": rol,
        "bsn": next(_bsns),
        "voorletters": "P." if rol == "partner" else "K.",
        "voorvoegsel": "",
        "achternaam": "Vries" if rol == "kind" else "Bakker",
        "geslacht": "M",
        "geboortedatum": "03-03-1978" if rol == "partner" else "05-06-2012",
        "nationaliteit": "Nederlandse",
    }
    data.update(override)
    return {f"leden-{i}-{k}": v for k, v in data.items()}


def start(portal, contract) -> str:
    """Intro -> Volgende; the URL of the client step."""
    response = portal.post("/nieuwe-deelnemer", {"contract": contract.nummer}, csrf_from="/nieuwe-deelnemer")
    assert response.status_code == 303
    return response.headers["Location"]


def stap(url: str, naam: str) -> str:
    return url.rsplit("/", 1)[0] + "/" + naam


def huishouden_van_drie(portal, contract, **client_override):
    """Walk the wizard up to the verzekering step; return (client URL, the client's data)."""
    url = start(portal, contract)
    gegevens = client_gegevens(**client_override)
    response = portal.post(url, gegevens, csrf_from=url)
    assert response.status_code == 303, response.get_data(as_text=True)
    gezin = stap(url, "gezinsleden")
    assert response.headers["Location"] == gezin
    response = portal.post(
        gezin, {**lid(0, "partner"), **lid(1, "kind"), "actie": "aanmelden"}, csrf_from=gezin
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    assert response.headers["Location"] == stap(url, "verzekering")
    return url, gegevens


VERZEKERING = {
    "keuze-hoofd": "verzekering",
    "groep-hoofd-AV": "AV-GOED",
    "keuze-leden-0": "collectiviteit",
    "keuze-leden-1": "verzekering",
    "groep-leden-1-AV": "",
    "los-leden-1": "TAND",
    "wijze": "automatische_incasso",
    "iban": "NL91 ABNA 0417 1643 00",
    "rekeninghouder": "M. de Vries",
}


def kind_met_polis() -> tuple[Persoon, Polis]:
    """The child K. Vries registered by ``VERZEKERING``, and its polis."""
    kind = db.session.scalar(
        select(Persoon).where(Persoon.voorletters == "K.", Persoon.achternaam == "Vries")
    )
    return kind, db.session.scalar(select(Polis).where(Polis.persoon_id == kind.id))


def tel(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# -- the whole household ---------------------------------------------------------------------------


def test_a_household_of_three_is_registered_with_polissen_and_berichten(admin, world, aanbod):
    url, gegevens = huishouden_van_drie(admin, world.contract_a)
    verzekering = stap(url, "verzekering")
    page = admin.client.get(verzekering).get_data(as_text=True)
    # Premiums after the collective discount: 120 - 5% = 114, 20 - 10% = 18.
    assert "€ 114,00 per maand" in page and "€ 18,00 per maand" in page
    response = admin.post(verzekering, VERZEKERING, csrf_from=verzekering)
    assert response.status_code == 303
    assert response.headers["Location"] == stap(url, "bevestiging")

    db.session.expire_all()
    hoofd = db.session.scalar(select(Persoon).where(Persoon.bsn == gegevens["bsn"]))
    assert hoofd.volledige_naam == "M. de Vries" and hoofd.postcode == "2311 AB"
    assert int(hoofd.relatienummer) >= nummers.EERSTE_RELATIENUMMER
    deelnames = db.session.scalars(
        select(Deelname)
        .where(Deelname.contract_id == world.contract_a.id, Deelname.ingangsdatum == vandaag().replace(day=1))
        .order_by(Deelname.id)
    ).all()
    assert [x.rol for x in deelnames] == ["hoofdverzekerde", "partner", "kind"]
    assert deelnames[1].hoofd_deelname_id == deelnames[0].id == deelnames[2].hoofd_deelname_id
    partner, kind = deelnames[1].persoon, deelnames[2].persoon
    assert partner.postcode == "2311 AB" and kind.woonplaats == "Leiden"  # the household's address
    assert hoofd.naam_partner == "Bakker"

    polissen = {
        p.persoon_id: p
        for p in db.session.scalars(
            select(Polis).where(Polis.persoon_id.in_([hoofd.id, partner.id, kind.id]))
        )
    }
    assert set(polissen) == {hoofd.id, kind.id}  # the partner chose alleen collectiviteit
    assert sorted(pp.product.code for pp in polissen[hoofd.id].producten) == ["AV-GOED", "BASIS"]
    assert sorted(pp.product.code for pp in polissen[kind.id].producten) == ["BASIS", "TAND"]
    assert polissen[hoofd.id].iban == "NL91ABNA0417164300"
    assert polissen[hoofd.id].contract_id == world.contract_a.id
    assert sorted(v.soort for v in polissen[kind.id].verzendingen) == ["polisblad", "verzekeringspas"]

    meldingen = db.session.scalars(
        select(Melding).where(Melding.persoon_id.in_([hoofd.id, partner.id, kind.id]))
    ).all()
    assert {(m.soort, m.status, m.kanaal) for m in meldingen} == {("aanmelding", "verwerkt", "portal")}
    assert len(meldingen) == 3
    teksten = {
        b.tekst
        for b in db.session.scalars(
            select(Bericht).where(Bericht.contract_id == world.contract_a.id, Bericht.persoon_id.isnot(None))
        )
    }
    assert f"Aanmelding mevrouw M. de Vries voor contract {world.contract_a.nummer} ontvangen" in teksten
    assert f"Aanmelding de heer K. Vries voor contract {world.contract_a.nummer} ontvangen" in teksten

    concept = db.session.scalar(select(AanmeldConcept))
    assert concept.afgerond_op is not None
    assert "hoofd" not in concept.gegevens and "leden" not in concept.gegevens  # typed data gone
    entry = db.session.scalars(
        select(AuditLog).where(AuditLog.gebeurtenis == "deelnemer_aanmelden", AuditLog.uitkomst == "ok")
    ).one()
    assert set(entry.relatienummers) == {hoofd.relatienummer, partner.relatienummer, kind.relatienummer}

    bevestiging = admin.client.get(stap(url, "bevestiging")).get_data(as_text=True)
    for tekst in (
        "De aanmelding is verwerkt",
        "M. de Vries",
        "P. Bakker",
        "K. Vries",
        "Alleen collectiviteit",
        "€ 132,00",
        polissen[hoofd.id].polisnummer,
    ):
        assert tekst in bevestiging
    # 114 + 18 for the client; 114 + 15 for the child.
    assert "€ 129,00" in bevestiging


def test_the_polisblad_pdf_shows_the_person_products_and_premiums(admin, world, aanbod):
    url, gegevens = huishouden_van_drie(admin, world.contract_a)
    verzekering = stap(url, "verzekering")
    admin.post(verzekering, VERZEKERING, csrf_from=verzekering)
    kind, polis = kind_met_polis()
    bevestiging = admin.client.get(stap(url, "bevestiging")).get_data(as_text=True)
    link = f"/polisbladen/{polis.polisnummer}.pdf"
    assert link in bevestiging
    response = admin.client.get(link)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert f"polisblad-{polis.polisnummer}.pdf" in response.headers["Content-Disposition"]
    tekst = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    for verwacht in (
        "Polisblad",
        "K. Vries",
        kind.relatienummer,
        polis.polisnummer,
        world.contract_a.label,
        d(vandaag().replace(day=1)),
        "Product BASIS",
        "Product TAND",
        "€ 114,00",
        "€ 15,00",
        "€ 129,00",
        "Hoofdverzekerde",
        "M. de Vries",
    ):
        assert verwacht in tekst, verwacht
    assert "0417 1643" not in tekst  # the IBAN is masked on paper
    assert (
        db.session.scalar(
            select(func.count()).select_from(AuditLog).where(AuditLog.gebeurtenis == "polisblad_downloaden")
        )
        == 1
    )


def test_names_outside_latin1_print_on_the_polisblad(app, world, aanbod):
    from portal.documents import polisblad

    p = factories.persoon(voorletters="Ł.", achternaam="Şahin-Wójcik")
    deelname = factories.deelname(p, world.contract_a)
    polis = Polis(
        polisnummer="P99999999",
        persoon=p,
        contract_id=world.contract_a.id,
        ingangsdatum=vandaag(),
        betalingswijze="acceptgiro",
    )
    db.session.add(polis)
    db.session.flush()
    tekst = PdfReader(io.BytesIO(polisblad.maak(polis, deelname, vandaag()))).pages[0].extract_text()
    assert "Ł. Şahin-Wójcik" in tekst


# -- keeping what was typed --------------------------------------------------------------------------


def test_earlier_steps_show_what_was_typed_when_the_user_goes_back(admin, world):
    url, gegevens = huishouden_van_drie(admin, world.contract_a, achternaam="Terugkeer")
    page = admin.client.get(url).get_data(as_text=True)
    assert 'value="Terugkeer"' in page and f'value="{gegevens["bsn"]}"' in page
    gezin = admin.client.get(stap(url, "gezinsleden")).get_data(as_text=True)
    assert 'value="Bakker"' in gezin and 'value="05-06-2012"' in gezin
    assert tel(Persoon) == 2  # only the world's; nothing is saved before the last Aanmelden


def test_a_later_step_cannot_be_reached_before_the_earlier_ones(admin, world):
    url = start(admin, world.contract_a)
    for naam in ("gezinsleden", "verzekering", "bevestiging"):
        response = admin.client.get(stap(url, naam))
        assert response.status_code == 303
        assert response.headers["Location"] in (url, stap(url, "verzekering"))


# -- the rules, each with its message at the field ----------------------------------------------------


@pytest.mark.parametrize(
    ("veld", "waarde", "tekst"),
    [
        ("bsn", "123456789", "Dit BSN klopt niet"),
        ("bsn", "", "Vul het BSN in."),
        ("achternaam", "", "Vul de achternaam in."),
        ("voorletters", "", "Vul de voorletters in."),
        ("geboortedatum", "31-02-1980", "De datum moet bestaan"),
        ("geboortedatum", "1980-13-01", "Vul de geboortedatum in als dd-mm-jjjj"),
        ("geslacht", "", "Kies het geslacht."),
        ("postcode", "23110 AB", "4 cijfers en 2 letters"),
        ("huisnummer", "12a", "Een huisnummer bestaat uit cijfers"),
        ("email", "geen-adres", "Vul een e-mailadres in"),
        ("ingangsdatum", "", "Vul de ingangsdatum in."),
    ],
)
def test_a_client_field_rule_rejects_with_a_dutch_message_and_keeps_the_input(
    admin, world, veld, waarde, tekst
):
    url = start(admin, world.contract_a)
    gegevens = client_gegevens(**{veld: waarde, "achternaam": "Bewaard" if veld != "achternaam" else ""})
    response = admin.post(url, gegevens, csrf_from=url)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert tekst in html
    assert f'id="{veld}-fout"' in html or (veld == "geslacht" and 'id="geslacht-fout"' in html)
    assert f'href="#{veld}"' in html  # the error summary links to the field
    if veld != "achternaam":
        assert 'value="Bewaard"' in html
    assert tel(Persoon) == 2


def test_the_120_day_rule_names_the_earliest_ingangsdatum(admin, world):
    url = start(admin, world.contract_a)
    te_vroeg = vandaag() - timedelta(days=121)
    html = admin.post(url, client_gegevens(ingangsdatum=d(te_vroeg)), csrf_from=url).get_data(as_text=True)
    assert f"De vroegst mogelijke ingangsdatum is {d(vandaag() - timedelta(days=120))}." in html
    response = admin.post(
        url, client_gegevens(ingangsdatum=d(vandaag() - timedelta(days=120))), csrf_from=url
    )
    assert response.status_code == 303


def test_an_ingangsdatum_too_far_ahead_is_refused(admin, world):
    url = start(admin, world.contract_a)
    html = admin.post(
        url, client_gegevens(ingangsdatum=d(vandaag() + timedelta(days=366))), csrf_from=url
    ).get_data(as_text=True)
    assert f"De laatst mogelijke ingangsdatum is {d(vandaag() + timedelta(days=365))}." in html


def test_a_person_with_an_active_deelname_in_the_contract_is_refused(admin, world):
    url = start(admin, world.contract_a)
    pa = world.persoon_a
    response = admin.post(url, client_gegevens(bsn=pa.bsn, geboortedatum=d(pa.geboortedatum)), csrf_from=url)
    assert response.status_code == 422
    assert f"{pa.volledige_naam} is al deelnemer van contract {world.contract_a.nummer}" in response.get_data(
        as_text=True
    )


def test_a_known_bsn_with_another_geboortedatum_is_refused(admin, world):
    url = start(admin, world.contract_a)
    response = admin.post(
        url, client_gegevens(bsn=world.persoon_b.bsn, geboortedatum="01-01-1999"), csrf_from=url
    )
    assert "Dit BSN hoort bij iemand met een andere geboortedatum" in response.get_data(as_text=True)


def test_a_known_person_from_another_contract_is_registered_as_the_same_person(admin, world):
    pb = world.persoon_b
    url = start(admin, world.contract_a)
    response = admin.post(url, client_gegevens(bsn=pb.bsn, geboortedatum=d(pb.geboortedatum)), csrf_from=url)
    assert response.status_code == 303
    gezin = stap(url, "gezinsleden")
    admin.post(gezin, {"actie": "aanmelden"}, csrf_from=gezin)
    verzekering = stap(url, "verzekering")
    response = admin.post(verzekering, {"keuze-hoofd": "collectiviteit"}, csrf_from=verzekering)
    assert response.status_code == 303
    assert tel(Persoon) == 2
    assert (
        db.session.scalar(select(func.count()).select_from(Deelname).where(Deelname.persoon_id == pb.id)) == 2
    )


@pytest.mark.parametrize(
    ("leden", "tekst"),
    [
        ({**lid(0, "kind", geboortedatum="01-01-1970")}, "Een kind is jonger dan de cliënt"),
        ({**lid(0, "partner"), **lid(1, "partner")}, "Er kan maar één partner worden aangemeld."),
        ({**lid(0, "kind", bsn="123456789")}, "Dit BSN klopt niet"),
        ({**lid(0, "kind", geboortedatum="")}, "Vul de geboortedatum in."),
        (
            {**lid(0, "kind", geboortedatum=d(vandaag() + timedelta(days=3)))},
            "De geboortedatum kan niet na vandaag liggen.",
        ),
    ],
)
def test_a_gezinslid_rule_rejects_at_its_field(admin, world, leden, tekst):
    url = start(admin, world.contract_a)
    admin.post(url, client_gegevens(), csrf_from=url)
    gezin = stap(url, "gezinsleden")
    response = admin.post(gezin, {**leden, "actie": "aanmelden"}, csrf_from=gezin)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert tekst in html
    assert re.search(r'href="#leden-\d-\w+"', html)


def test_the_same_bsn_twice_in_one_household_is_refused(admin, world):
    url = start(admin, world.contract_a)
    gegevens = client_gegevens()
    admin.post(url, gegevens, csrf_from=url)
    gezin = stap(url, "gezinsleden")
    response = admin.post(
        gezin, {**lid(0, "kind", bsn=gegevens["bsn"]), "actie": "aanmelden"}, csrf_from=gezin
    )
    assert "Dit BSN is al ingevuld bij M. de Vries." in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("override", "tekst", "veld"),
    [
        ({"iban": "NL91 ABNA 0417 1643 01"}, "Dit IBAN klopt niet", "iban"),
        ({"iban": ""}, "Vul het IBAN in.", "iban"),
        ({"rekeninghouder": ""}, "Vul de naam van de rekeninghouder in.", "rekeninghouder"),
        ({"wijze": "via_werkgever"}, "Kies een betalingswijze.", "wijze"),
        ({"keuze-leden-0": ""}, "alleen collectiviteit of een verzekering", "leden-0-producten"),
    ],
)
def test_a_verzekering_rule_rejects_and_saves_nothing(admin, world, override, tekst, veld):
    url, _ = huishouden_van_drie(admin, world.contract_a)
    verzekering = stap(url, "verzekering")
    response = admin.post(verzekering, {**VERZEKERING, **override}, csrf_from=verzekering)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert tekst in html and f'href="#{veld}"' in html
    assert tel(Persoon) == 2 and tel(Polis) == 0
    assert 'value="M. de Vries"' in html or veld == "rekeninghouder"


# -- all or nothing -------------------------------------------------------------------------------------


def test_a_failure_in_the_last_step_leaves_nothing_behind(admin, world, monkeypatch):
    url, _ = huishouden_van_drie(admin, world.contract_a)
    verzekering = stap(url, "verzekering")
    echte = berichten.aanmelding_ontvangen
    aantal = {"n": 0}

    def faalt_bij_de_derde(contract, persoon, created_at=None):
        aantal["n"] += 1
        if aantal["n"] == 3:
            raise RuntimeError("storing bij het derde gezinslid")
        return echte(contract, persoon, created_at)

    monkeypatch.setattr(berichten, "aanmelding_ontvangen", faalt_bij_de_derde)
    voor = {m: tel(m) for m in (Persoon, Deelname, Polis, PolisVerzending, Melding, Bericht)}
    with pytest.raises(RuntimeError):
        admin.post(verzekering, VERZEKERING, csrf_from=verzekering)
    db.session.rollback()
    assert {m: tel(m) for m in voor} == voor
    concept = db.session.scalar(select(AanmeldConcept))
    assert concept.afgerond_op is None  # the user can try again
    monkeypatch.setattr(berichten, "aanmelding_ontvangen", echte)
    assert admin.post(verzekering, VERZEKERING, csrf_from=verzekering).status_code == 303
    assert tel(Persoon) == voor[Persoon] + 3


def test_a_rule_broken_meanwhile_rejects_the_last_step_and_links_to_the_step(admin, world):
    url, gegevens = huishouden_van_drie(admin, world.contract_a)
    # Someone else registers the client in the same contract before this user finishes.
    p = factories.persoon(bsn=gegevens["bsn"], geboortedatum=date(1980, 2, 14))
    factories.deelname(p, world.contract_a)
    db.session.commit()
    verzekering = stap(url, "verzekering")
    response = admin.post(verzekering, VERZEKERING, csrf_from=verzekering)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "is al deelnemer van contract" in html and f'href="{url}"' in html
    assert tel(Polis) == 0 and tel(Persoon) == 3


def test_pressing_aanmelden_twice_registers_once(admin, world):
    url, _ = huishouden_van_drie(admin, world.contract_a)
    verzekering = stap(url, "verzekering")
    token = admin.csrf(verzekering)
    for _ in range(2):
        response = admin.client.post(verzekering, data={"csrf_token": token, **VERZEKERING})
        assert response.status_code == 303
        assert response.headers["Location"] == stap(url, "bevestiging")
    assert tel(Persoon) == 5


# -- gezinsleden rows ----------------------------------------------------------------------------------


def test_rows_are_added_and_removed_as_an_htmx_fragment(admin, world):
    url = start(admin, world.contract_a)
    admin.post(url, client_gegevens(), csrf_from=url)
    gezin = stap(url, "gezinsleden")
    token = admin.csrf(gezin)
    hx = {"HX-Request": "true", "X-CSRFToken": token}
    response = admin.client.post(f"{gezin}?actie=partner", data={}, headers=hx)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert 'id="leden-0-bsn"' in html and "Partner toegevoegd als gezinslid 1." in html
    assert 'data-focus="leden-0-bsn"' in html
    response = admin.client.post(
        f"{gezin}?actie=kind", data={**lid(0, "partner", achternaam="Eerst")}, headers=hx
    )
    html = response.get_data(as_text=True)
    assert 'value="Eerst"' in html and 'id="leden-1-bsn"' in html
    response = admin.client.post(
        f"{gezin}?actie=verwijder-0",
        data={**lid(0, "partner", achternaam="Eerst"), **lid(1, "kind")},
        headers=hx,
    )
    html = response.get_data(as_text=True)
    assert "Eerst" not in html.split("verwijderd")[1] and 'id="leden-1-bsn"' not in html
    assert 'data-focus="gezinsleden-kop"' in html


def test_an_htmx_submitted_step_goes_on_by_a_full_navigation(admin, world):
    url = start(admin, world.contract_a)
    hx = {"HX-Request": "true", "X-CSRFToken": admin.csrf(url)}
    response = admin.client.post(url, data=client_gegevens(), headers=hx)
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == stap(url, "gezinsleden")
    response = admin.client.post(url, data=client_gegevens(bsn="1"), headers=hx)
    assert response.status_code == 422 and 'id="inhoud"' in response.get_data(as_text=True)


def test_the_details_page_links_the_polisblad(admin, world):
    url, _ = huishouden_van_drie(admin, world.contract_a)
    verzekering = stap(url, "verzekering")
    admin.post(verzekering, VERZEKERING, csrf_from=verzekering)
    kind, polis = kind_met_polis()
    html = admin.client.get(f"/deelnemers/{kind.relatienummer}").get_data(as_text=True)
    assert f'href="/polisbladen/{polis.polisnummer}.pdf"' in html


def test_rows_are_added_without_javascript_too(admin, world):
    url = start(admin, world.contract_a)
    admin.post(url, client_gegevens(), csrf_from=url)
    gezin = stap(url, "gezinsleden")
    response = admin.post(gezin, {"actie": "kind"}, csrf_from=gezin)
    assert response.status_code == 200 and "<html" in response.get_data(as_text=True)
    assert 'id="leden-0-bsn"' in response.get_data(as_text=True)


# -- drafts belong to one session ----------------------------------------------------------------------


def test_another_session_cannot_open_the_draft(admin, world, login_as):
    url = start(admin, world.contract_a)
    ander = login_as("administratief")  # the same user, another login session
    assert ander.client.get(url).status_code == 404
    vreemd = login_as("vreemd")
    assert vreemd.client.get(url).status_code == 404


def test_logout_deletes_the_draft(admin, world):
    url = start(admin, world.contract_a)
    admin.post(url, client_gegevens(), csrf_from=url)
    assert tel(AanmeldConcept) == 1
    admin.post("/uitloggen", csrf_from="/")
    db.session.expire_all()
    assert tel(AanmeldConcept) == 0


def test_a_foreign_contract_cannot_be_chosen(admin, world):
    response = admin.post(
        "/nieuwe-deelnemer", {"contract": world.contract_b.nummer}, csrf_from="/nieuwe-deelnemer"
    )
    assert response.status_code == 404
    assert tel(AanmeldConcept) == 0


# -- bijschrijven ----------------------------------------------------------------------------------------


def test_bijschrijven_adds_a_child_to_an_existing_hoofdverzekerde(admin, world):
    pa = world.persoon_a
    pagina = f"/deelnemers/{pa.relatienummer}/bijschrijven/{world.contract_a.nummer}"
    assert "Bijschrijven gezinsleden van J. Alfastra" in admin.client.get(pagina).get_data(as_text=True)
    response = admin.post(pagina, {}, csrf_from=pagina)
    assert response.status_code == 303
    gezin = response.headers["Location"]
    assert gezin.endswith("/gezinsleden")
    response = admin.post(gezin, {"ingangsdatum": d(vandaag()), "actie": "aanmelden"}, csrf_from=gezin)
    assert "Voeg een partner of kind toe om bij te schrijven." in response.get_data(as_text=True)
    response = admin.post(
        gezin,
        {"ingangsdatum": d(vandaag()), **lid(0, "kind", achternaam="Alfastra"), "actie": "aanmelden"},
        csrf_from=gezin,
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    verzekering = stap(gezin, "verzekering")
    response = admin.post(verzekering, {"keuze-leden-0": "collectiviteit"}, csrf_from=verzekering)
    assert response.status_code == 303
    hoofd = db.session.scalar(select(Deelname).where(Deelname.persoon_id == pa.id))
    kind = db.session.scalar(select(Deelname).where(Deelname.hoofd_deelname_id == hoofd.id))
    assert kind.rol == "kind" and kind.ingangsdatum == vandaag()
    # Huidige deelnemers shows the child as bijgeschreven and the parent with the Bijschrijven link.
    html = admin.client.get(
        "/deelnemers", query_string={"achternaam": "Alfastra"}, headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert "Bijgeschreven (kind)" in html
    assert f'href="{pagina}"' in html


def test_bijschrijven_refuses_a_second_partner_and_a_date_before_the_hoofd(admin, world):
    pa = world.persoon_a
    hoofd = db.session.scalar(select(Deelname).where(Deelname.persoon_id == pa.id))
    partner = factories.persoon(achternaam="Partner")
    factories.deelname(partner, world.contract_a, rol="partner", hoofd_deelname_id=hoofd.id)
    db.session.commit()
    pagina = f"/deelnemers/{pa.relatienummer}/bijschrijven/{world.contract_a.nummer}"
    gezin = admin.post(pagina, {}, csrf_from=pagina).headers["Location"]
    response = admin.post(
        gezin, {"ingangsdatum": d(vandaag()), **lid(0, "partner"), "actie": "aanmelden"}, csrf_from=gezin
    )
    assert "J. Alfastra heeft al een partner in dit contract." in response.get_data(as_text=True)


def test_bijschrijven_of_an_ended_deelname_is_not_offered(admin, world):
    hoofd = db.session.scalar(select(Deelname).where(Deelname.persoon_id == world.persoon_a.id))
    hoofd.einddatum, hoofd.reden_einde = date(2024, 1, 31), "einde_collectiviteit"
    db.session.commit()
    pagina = f"/deelnemers/{world.persoon_a.relatienummer}/bijschrijven/{world.contract_a.nummer}"
    assert "is geen lopende hoofdverzekerde" in admin.client.get(pagina).get_data(as_text=True)
    admin.post(pagina, {}, csrf_from=pagina)
    assert tel(AanmeldConcept) == 0


# -- the domain on its own (as the API and the upload will call it) ------------------------------------


def _huishouden(contract, **kw) -> regels.Huishouden:
    hoofd = regels.PersoonGegevens.uit(
        {
            "bsn": next(_bsns),
            "voorletters": "A.",
            "achternaam": "Domein",
            "geslacht": "M",
            "geboortedatum": "1980-01-01",
            "nationaliteit": "Nederlandse",
            "straat": "Laan",
            "huisnummer": "1",
            "postcode": "1234AB",
            "woonplaats": "Ergens",
            "producten": ["BASIS"],
        }
    )
    values = {
        "contract": contract,
        "ingangsdatum": vandaag().isoformat(),
        "hoofd": hoofd,
        "betaling": regels.Betaling("acceptgiro"),
    }
    values.update(kw)
    return regels.Huishouden(**values)


def test_the_domain_returns_stable_codes_with_paths(app, world, aanbod):
    h = _huishouden(world.contract_a)
    h.hoofd.producten = ["AV-GOED"]
    h.leden = [
        regels.PersoonGegevens.uit(
            {"rol": "kind", "bsn": "111111111", "producten": ["AV-GOED", "AV-BETER", "BASIS"]}
        )
    ]
    codes = {(f.code, f.veld) for f in regels.controleer(h, vandaag())}
    assert ("basis_vereist", "hoofd.producten") in codes
    assert ("pakketten_sluiten_elkaar_uit", "leden.0.producten") in codes
    assert ("bsn_ongeldig", "leden.0.bsn") in codes
    assert ("veld_verplicht", "leden.0.achternaam") in codes


def test_an_unknown_product_and_an_existing_polis_are_refused(app, world, aanbod):
    h = _huishouden(world.contract_a)
    h.hoofd.producten = ["ONBEKEND"]
    assert [f.code for f in regels.controleer_verzekering(h)] == ["product_onbekend"]
    p = factories.persoon()
    db.session.add(
        Polis(polisnummer="P00000001X", persoon=p, ingangsdatum=date(2020, 1, 1), betalingswijze="acceptgiro")
    )
    db.session.flush()
    h.hoofd.bsn, h.hoofd.geboortedatum, h.hoofd.producten = p.bsn, p.geboortedatum.isoformat(), ["BASIS"]
    assert [f.code for f in regels.controleer_verzekering(h)] == ["polis_bestaat_al"]


def test_alleen_collectiviteit_gives_a_running_individual_polis_the_discount(app, world, aanbod):
    p = factories.persoon()
    polis = Polis(
        polisnummer="P00000002X", persoon=p, ingangsdatum=date(2020, 1, 1), betalingswijze="acceptgiro"
    )
    db.session.add(polis)
    db.session.flush()
    h = _huishouden(world.contract_a)
    h.hoofd.bsn, h.hoofd.geboortedatum, h.hoofd.producten = p.bsn, p.geboortedatum.isoformat(), []
    uitkomst = regels.registreer(h, vandaag=vandaag(), bron="test")
    assert uitkomst.gekoppelde_polissen == [polis] and polis.contract_id == world.contract_a.id


@pytest.mark.parametrize(
    ("dagen", "code"),
    [(-121, "ingangsdatum_te_ver_terug"), (-120, None), (365, None), (366, "ingangsdatum_te_ver_vooruit")],
)
def test_the_ingangsdatum_window(app, world, dagen, code):
    fouten = regels.controleer_ingangsdatum(d(vandaag() + timedelta(days=dagen)), world.contract_a, vandaag())
    assert [f.code for f in fouten] == ([code] if code else [])


def test_registreer_refuses_without_writing(app, world, aanbod):
    h = _huishouden(world.contract_a, ingangsdatum="2001-01-01")
    with pytest.raises(Afgekeurd) as info:
        regels.registreer(h, vandaag=vandaag(), bron="test")
    # No tariff exists for 2001 either, so the product is refused too.
    assert [f.code for f in info.value.fouten] == ["ingangsdatum_te_ver_terug", "product_onbekend"]
    assert tel(Persoon) == 2


def test_numbers_are_unique_and_continue_above_existing_relatienummers(app, world):
    factories.persoon(relatienummer="45000000")
    eerste = nummers.relatienummer()
    assert eerste == "45000001"
    assert nummers.relatienummer() == "45000002"
    assert nummers.polisnummer() == "P00000001" and nummers.polisnummer() == "P00000002"


def test_premium_after_discount_rounds_half_up():
    from portal.domain.premie import netto

    assert netto(Decimal("105.55"), Decimal("5.00")) == Decimal("100.27")  # 100.2725
    assert netto(Decimal("10.10"), Decimal("7.50")) == Decimal("9.34")  # 9.3425
    assert netto(Decimal("0.30"), Decimal("50")) == Decimal("0.15")


def test_an_ended_deelname_clashes_only_while_it_still_runs(app, world, aanbod):
    p = factories.persoon()
    einde = vandaag() + timedelta(days=10)
    factories.deelname(p, world.contract_a, einddatum=einde, reden_einde="einde_collectiviteit")
    h = _huishouden(world.contract_a)
    h.hoofd.bsn, h.hoofd.geboortedatum, h.hoofd.producten = p.bsn, p.geboortedatum.isoformat(), []
    fouten = regels.controleer_personen(h, vandaag())
    assert [f.code for f in fouten] == ["deelname_bestaat_al"]
    assert f"loopt tot en met {d(einde)}" in fouten[0].bericht
    h.ingangsdatum = (einde + timedelta(days=1)).isoformat()
    assert regels.controleer_personen(h, vandaag()) == []
