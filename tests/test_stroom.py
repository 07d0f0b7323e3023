"""In- en uitstroom: the one definition, the monthly figures, the list, and the three screens."""

from __future__ import annotations

import io
from datetime import date, timedelta

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from portal.domain import dates, stroom
from portal.extensions import db
from portal.forms.stroom import lees_maand
from portal.models import AuditLog, Contactpersoon, Deelname
from portal.web import contractkeuze, grafiek
from tests import factories

# -- months and periods ---------------------------------------------------------------------


def test_month_helpers():
    assert dates.laatste_dag(date(2024, 2, 10)) == date(2024, 2, 29)
    assert dates.eerste_dag(date(2024, 2, 10)) == date(2024, 2, 1)
    assert dates.volgende_maand(date(2025, 12, 31)) == date(2026, 1, 1)
    assert dates.vorige_maand(date(2026, 1, 15)) == date(2025, 12, 1)
    assert dates.maandnaam(date(2026, 12, 1)) == "december 2026"
    assert stroom.maand_label(date(2018, 12, 1)) == "dec. 2018"
    assert stroom.maand_label(date(2018, 5, 1)) == "mei 2018"


def test_periode_is_whole_months():
    periode = stroom.Periode.maanden(2025, 11, 2026, 2)
    assert (periode.van, periode.tot) == (date(2025, 11, 1), date(2026, 2, 28))
    assert periode.maandstarts() == [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
    assert periode.label == "november 2025 t/m februari 2026"
    assert stroom.Periode.jaar(2018).label == "2018 - januari t/m december"
    with pytest.raises(ValueError):
        stroom.Periode(date(2025, 1, 2), date(2025, 1, 31))
    with pytest.raises(ValueError):
        stroom.Periode(date(2025, 1, 1), date(2025, 1, 30))
    with pytest.raises(ValueError):
        stroom.Periode(date(2025, 2, 1), date(2025, 1, 31))


@pytest.mark.parametrize(
    ("tekst", "verwacht"),
    [
        ("03-2025", date(2025, 3, 1)),
        ("3-2025", date(2025, 3, 1)),
        ("2025-03", date(2025, 3, 1)),
        ("3/2025", date(2025, 3, 1)),
        ("13-2025", None),
        ("00-2025", None),
        ("03-1999", None),
        ("maart", None),
        ("", None),
        (None, None),
    ],
)
def test_lees_maand(tekst, verwacht):
    assert lees_maand(tekst) == verwacht


def test_beweging():
    jaar = stroom.Periode.jaar(2025)
    assert stroom.beweging(date(2025, 1, 1), None, jaar) == "In"
    assert stroom.beweging(date(2020, 1, 1), date(2025, 12, 31), jaar) == "Uit"
    assert stroom.beweging(date(2025, 3, 1), date(2025, 3, 1), jaar) == "In en uit"
    assert stroom.beweging(date(2020, 1, 1), None, jaar) == ""
    assert stroom.beweging(date(2020, 1, 1), date(2026, 1, 1), jaar) == ""


# -- the figures against a model, for generated histories -------------------------------------

BEGIN, EINDE = date(2024, 1, 1), date(2025, 12, 31)


@st.composite
def _datum(draw):
    """Any day, with the first and last days of months drawn often."""
    soort = draw(st.sampled_from(["dag", "eerste", "laatste"]))
    dag = draw(st.dates(BEGIN - timedelta(days=60), EINDE + timedelta(days=60)))
    if soort == "eerste":
        return dag.replace(day=1)
    if soort == "laatste":
        return dates.laatste_dag(dag)
    return dag


@st.composite
def _deelname(draw):
    ingang = draw(_datum())
    einde = draw(
        st.one_of(
            st.none(),
            _datum().filter(lambda d: d >= ingang),
            st.just(ingang),
            st.just(dates.laatste_dag(ingang)),
        )
    )
    return ingang, einde


def _model_eind(periodes, dag: date) -> int:
    """Deelnemers at the end of ``dag``, counted one by one."""
    return sum(1 for ingang, einde in periodes if ingang <= dag and (einde is None or einde > dag))


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(periodes=st.lists(_deelname(), max_size=25))
def test_gebruik_reconciles_with_a_model_and_with_the_list(app, periodes):
    contract = db.session.scalar(select(factories.Contract).where(factories.Contract.nummer == "PROP"))
    if contract is None:
        contract = factories.contract(nummer="PROP")
        db.session.commit()
    db.session.execute(delete(Deelname).where(Deelname.contract_id == contract.id))
    for ingang, einde in periodes:
        factories.deelname(
            factories.persoon(),
            contract,
            ingangsdatum=ingang,
            einddatum=einde,
            reden_einde="einde_collectiviteit" if einde else None,
        )
    db.session.flush()

    periode = stroom.Periode(BEGIN, EINDE)
    cijfers = stroom.gebruik(contract.id, periode)
    assert [m.maand for m in cijfers] == periode.maandstarts()[::-1]
    vorige = _model_eind(periodes, BEGIN - timedelta(days=1))
    for m in reversed(cijfers):
        laatste = dates.laatste_dag(m.maand)
        assert m.aantal == vorige + m.instroom - m.uitstroom
        assert m.aantal == _model_eind(periodes, laatste)
        assert m.instroom == sum(m.maand <= i <= laatste for i, _ in periodes)
        assert m.uitstroom == sum(e is not None and m.maand <= e <= laatste for _, e in periodes)
        # The in- en uitstroomlijst of that month says the same.
        maand = stroom.Periode(m.maand, laatste)
        bewegingen = [r.beweging for r in stroom.export_rijen(stroom.Lijstopdracht(contract.id, maand))]
        assert sum(b in ("In", "In en uit") for b in bewegingen) == m.instroom
        assert sum(b in ("Uit", "In en uit") for b in bewegingen) == m.uitstroom
        assert stroom.lijst(stroom.Lijstopdracht(contract.id, maand)).aantal == len(bewegingen)
        vorige = m.aantal
    # "Toon alle deelnemers" of the whole period: everyone insured on some day of it.
    alle = stroom.lijst(stroom.Lijstopdracht(contract.id, periode, alle=True)).aantal
    assert alle == sum(1 for i, e in periodes if i <= EINDE and (e is None or e >= BEGIN))
    db.session.rollback()


def test_aantal_op_counts_the_einddatum_as_insured(app):
    contract = factories.contract()
    factories.deelname(
        factories.persoon(),
        contract,
        ingangsdatum=date(2025, 1, 1),
        einddatum=date(2025, 6, 30),
        reden_einde="overleden",
    )
    factories.deelname(factories.persoon(), contract, ingangsdatum=date(2025, 7, 1))
    assert stroom.aantal_op(contract.id, date(2025, 6, 30)) == 1
    assert stroom.aantal_op(contract.id, date(2025, 7, 1)) == 1
    assert stroom.aantal_op(contract.id, date(2024, 12, 31)) == 0
    juni = stroom.gebruik(contract.id, stroom.Periode.maanden(2025, 6, 2025, 7))
    assert [(m.aantal, m.instroom, m.uitstroom) for m in juni] == [(1, 1, 0), (0, 0, 1)]


def test_list_pages_and_sorts(app, monkeypatch):
    monkeypatch.setattr(stroom, "PER_PAGINA", (2, 10))
    contract = factories.contract()
    namen = ["Zwart", "Appel", "Mol", "Bakker", "de Groot"]
    for index, naam in enumerate(namen):
        voorvoegsel, _, achternaam = naam.rpartition(" ")
        factories.deelname(
            factories.persoon(
                achternaam=achternaam, voorvoegsel=voorvoegsel or None, geboortedatum=date(1980 + index, 1, 1)
            ),
            contract,
            ingangsdatum=date(2025, index + 1, 1),
        )
    jaar = stroom.Periode.jaar(2025)
    pagina = stroom.lijst(stroom.Lijstopdracht(contract.id, jaar, per_pagina=10))
    assert [r.naam for r in pagina.rijen] == ["J. Appel", "J. Bakker", "J. de Groot", "J. Mol", "J. Zwart"]
    tweede = stroom.lijst(stroom.Lijstopdracht(contract.id, jaar, pagina=2, per_pagina=2))
    assert [r.naam for r in tweede.rijen] == ["J. de Groot", "J. Mol"]
    assert (tweede.aantal, tweede.paginas) == (5, 3)
    te_ver = stroom.lijst(stroom.Lijstopdracht(contract.id, jaar, pagina=99, per_pagina=2))
    assert te_ver.pagina == 3
    oudste = stroom.lijst(stroom.Lijstopdracht(contract.id, jaar, sorteer="geboortedatum"))
    assert oudste.rijen[0].naam == "J. Zwart"
    nieuwste_eerst = stroom.lijst(stroom.Lijstopdracht(contract.id, jaar, sorteer="-ingangsdatum"))
    assert nieuwste_eerst.rijen[0].ingangsdatum == date(2025, 5, 1)


# -- the chart and the contract choice ------------------------------------------------------


def test_rond_schaal():
    assert [grafiek.rond_schaal(n) for n in (0, 1, 3, 7, 10, 11, 3922, 75_695)] == [
        1,
        1,
        5,
        10,
        10,
        20,
        5000,
        100_000,
    ]


def test_chart_bars_follow_the_figures():
    cijfers = [
        stroom.Maandcijfers(date(2025, m, 1), aantal=m * 100, instroom=m, uitstroom=12 - m)
        for m in range(1, 13)
    ]
    g = grafiek.maak(list(reversed(cijfers)))
    hoogtes = [s.hoogte for s in g.aantal]
    assert hoogtes == sorted(hoogtes) and hoogtes[-1] == pytest.approx(grafiek.BOVEN_HOOGTE * 1200 / 2000)
    assert all(s.y + s.hoogte == pytest.approx(g.onder) for s in g.aantal)
    assert g.uitstroom[-1].hoogte == 0 and g.instroom[0].hoogte < g.instroom[-1].hoogte
    assert g.maand_labels[-1].tekst == "dec. 2025" and len(g.maand_labels) <= 6
    assert grafiek.maak([]).aantal == []


def test_contract_choice_by_number_label_or_name(app, world):
    from flask_login import login_user

    tweede = factories.contract(world.org, naam="Gemeente Alfen")
    derde = factories.contract(world.org, naam="Werkgever Alfen Bouw")
    gebruiker = world.users["administratief"]
    gebruiker.contracten.extend([tweede, derde])
    db.session.commit()
    contracten = sorted(gebruiker.contracten, key=lambda c: c.nummer)
    with app.test_request_context():
        login_user(gebruiker)
        assert contractkeuze.kies("", contracten).contract == contracten[0]
        assert contractkeuze.kies(tweede.nummer, contracten).contract == tweede
        assert contractkeuze.kies(tweede.label, contracten).contract == tweede
        assert contractkeuze.kies("bouw", contracten).contract == derde
        assert "2 contracten passen" in contractkeuze.kies("Alfen", contracten).fout
        assert "Geen van uw contracten" in contractkeuze.kies("Rotterdam", contracten).fout
        with pytest.raises(Exception) as info:  # a number the user does not have: 404
            contractkeuze.kies(world.contract_b.nummer, contracten)
        assert getattr(info.value, "code", None) == 404


# -- the screens ------------------------------------------------------------------------------


@pytest.fixture
def geschiedenis(world):
    """Contract A with movements in 2025 (world already holds one deelname from 2020)."""
    c = world.contract_a
    factories.deelname(factories.persoon(achternaam="Instromer"), c, ingangsdatum=date(2025, 3, 1))
    factories.deelname(
        factories.persoon(achternaam="Uitstromer"),
        c,
        ingangsdatum=date(2019, 3, 1),
        einddatum=date(2025, 8, 31),
        reden_einde="einde_collectiviteit",
    )
    factories.deelname(
        factories.persoon(voorletters='=HYPERLINK("x")', achternaam="Formule"),
        c,
        ingangsdatum=date(2025, 5, 5),
        einddatum=date(2025, 5, 20),
        reden_einde="overleden",
    )
    db.session.commit()
    return c


def test_stroom_screen_lists_movers_and_audits(login_as, geschiedenis):
    admin = login_as("administratief")
    html = admin.client.get("/in-en-uitstroomlijsten").get_data(as_text=True)
    assert "De lijst bekijken" in html and "Aantal deelnemers" not in html
    response = admin.client.get(f"/in-en-uitstroomlijsten?contract={geschiedenis.nummer}&periode=2025")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Aantal deelnemers: 3" in html
    assert "Instromer" in html and "Uitstromer" in html and "Alfastra" not in html
    assert "In en uit" in html and "Overleden" in html
    alle = admin.client.get(
        f"/in-en-uitstroomlijsten?contract={geschiedenis.nummer}&periode=2025&weergave=alle"
    ).get_data(as_text=True)
    assert "Aantal deelnemers: 4" in alle and "Alfastra" in alle
    record = db.session.scalars(
        select(AuditLog).where(AuditLog.gebeurtenis == "stroomlijst_bekeken").order_by(AuditLog.id.desc())
    ).first()
    assert record.contract_nummer == geschiedenis.nummer and record.details["aantal"] == 4
    assert len(record.relatienummers) == 4


def test_stroom_htmx_returns_the_list_only(login_as, geschiedenis):
    admin = login_as("administratief")
    response = admin.client.get(
        f"/in-en-uitstroomlijsten?contract={geschiedenis.nummer}&periode=2025&sorteer=-einddatum",
        headers={"HX-Request": "true"},
    )
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'aria-sort="descending"' in html


def test_stroom_bad_period_keeps_input_and_says_what_to_fix(login_as, geschiedenis):
    admin = login_as("administratief")
    response = admin.client.get(
        f"/in-en-uitstroomlijsten?contract={geschiedenis.nummer}&periode=anders&van=05-2025&tot=02-2025"
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "De laatste maand ligt voor de eerste maand." in html
    assert 'value="05-2025"' in html and 'value="02-2025"' in html
    onzin = admin.client.get(f"/in-en-uitstroomlijsten?contract={geschiedenis.nummer}&periode=x' OR 1")
    assert onzin.status_code == 422 and "Kies een periode uit de lijst." in onzin.get_data(as_text=True)
    # The download of a bad choice goes back to the screen with the message.
    terug = admin.client.get(
        f"/in-en-uitstroomlijsten/download.xlsx?contract={geschiedenis.nummer}"
        "&periode=anders&van=13-2025&tot=01-2026"
    )
    assert terug.status_code == 303 and "/in-en-uitstroomlijsten?" in terug.headers["Location"]


def test_stroom_download_is_typed_and_formula_safe(login_as, geschiedenis):
    admin = login_as("administratief")
    response = admin.client.get(
        f"/in-en-uitstroomlijsten/download.xlsx?contract={geschiedenis.nummer}&periode=2025"
    )
    assert response.status_code == 200
    assert (
        f"in-en-uitstroom-{geschiedenis.nummer}-202501-202512.xlsx" in response.headers["Content-Disposition"]
    )
    blad = openpyxl.load_workbook(io.BytesIO(response.data)).active
    assert [c.value for c in blad[1]] == [
        "Contract",
        "Naam",
        "BSN",
        "Relatienummer",
        "Geboortedatum",
        "Ingangsdatum",
        "Einddatum",
        "In/uit in de periode",
        "Reden einde",
    ]
    assert blad.freeze_panes == "A2" and blad.auto_filter.ref == "A1:I4"
    rijen = {r[1]: r for r in blad.iter_rows(min_row=2, values_only=True)}
    gevaarlijk = next(c for c in blad["B"][1:] if "Formule" in c.value)
    assert gevaarlijk.value.startswith("=HYPERLINK")
    assert gevaarlijk.data_type == "s" and gevaarlijk.quotePrefix  # shown as text, never run
    uit = rijen["J. Uitstromer"]
    assert uit[6].date() == date(2025, 8, 31) and uit[7] == "Uit" and uit[8] == "Einde collectiviteit"
    assert blad["F2"].number_format == "dd-mm-yyyy"
    record = db.session.scalars(
        select(AuditLog).where(AuditLog.gebeurtenis == "stroomlijst_downloaden")
    ).one()
    assert record.actie == "export" and record.details["periode"] == "2025"


def test_gebruik_screen_and_download(login_as, geschiedenis):
    financieel = login_as("financieel")
    response = financieel.client.get(f"/contract-gebruik?contract={geschiedenis.nummer}&periode=alles")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"{geschiedenis.naam} ({geschiedenis.nummer})" in html
    assert "Huidige aantal deelnemers" in html and "<svg" in html
    assert "mei 2025" in html and "jan. 2014" in html
    download = financieel.client.get(
        f"/contract-gebruik/download.xlsx?contract={geschiedenis.nummer}&periode=alles"
    )
    blad = openpyxl.load_workbook(io.BytesIO(download.data)).active
    per_maand = {r[0]: r[1:] for r in blad.iter_rows(min_row=2, values_only=True)}
    assert per_maand["mei 2025"] == (3, 0, 1, 1)  # Alfastra, Uitstromer, Instromer; one in and out
    assert per_maand["aug. 2025"] == (2, -1, 0, 1)
    assert per_maand["mrt. 2025"] == (3, 1, 1, 0)
    bad = financieel.client.get(f"/contract-gebruik?contract={geschiedenis.nummer}&periode=999")
    assert bad.status_code == 422  # unknown choice: the default period, and the field says so


def test_gebruik_of_an_ended_contract_stops_at_its_end(login_as, world):
    world.contract_a.einddatum = date(2024, 6, 30)
    db.session.commit()
    html = login_as("administratief").client.get("/contract-gebruik").get_data(as_text=True)
    assert "jun. 2024" in html and "jul. 2024" not in html
    assert "30-06-2024" in html


def test_contract_gegevens_for_every_role(login_as, world):
    p = factories.product(code="BAS", premie="150.00", jaar=date.today().year)
    factories.aanbod(world.contract_a, p, korting="7.50")
    world.contract_a.relatiemanager_naam = "Marieke Hoogland"
    world.contract_a.contactpersonen.append(Contactpersoon(naam="Piet Contact", email="piet@x.example"))
    db.session.commit()
    for rol in ("administratief", "financieel", "accountbeheer"):
        html = login_as(rol).client.get("/contract-gegevens").get_data(as_text=True)
        assert world.contract_a.collectiviteitsnummer in html and world.org.kvk_nummer in html
        assert "Product BAS" in html and "7,5%" in html and "€ 138,75" in html
        assert "Piet Contact" in html and "Marieke Hoogland" in html
        assert "onderwerp=Wijziging+contractgegevens" in html
    contact = (
        login_as("financieel")
        .client.get(
            f"/contact?pagina=/contract-gegevens&contract={world.contract_a.nummer}"
            f"&onderwerp=Wijziging+contractgegevens+{world.contract_a.nummer}"
        )
        .get_data(as_text=True)
    )
    assert f'value="Wijziging contractgegevens {world.contract_a.nummer}"' in contact


def test_typed_contract_name_that_fits_none_is_a_field_error(login_as, world):
    html = login_as("administratief").client.get("/contract-gegevens?contract=Rotterdam")
    assert html.status_code == 422
    assert "Geen van uw contracten past bij" in html.get_data(as_text=True)
