"""Borderellen en facturen: the premium rules, generation, corrections, the documents, the screen."""

from __future__ import annotations

import calendar
import csv
import hashlib
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader
from sqlalchemy import func, select

from portal.documents.borderel import DOCUMENTEN, lees_csv
from portal.domain import afmelden, borderellen, premie
from portal.extensions import db
from portal.models import AuditLog, Bericht, Borderel, BorderelRegel, Polis, PolisProduct
from tests import factories


def _genereer(contract, maand, **waarden):
    """The domain's borderel run with the real documents (as the CLI and the task run it)."""
    return borderellen.genereer(contract, maand, documenten=DOCUMENTEN, **waarden)


# -- the premium rules ------------------------------------------------------------------------

geld = st.decimals(min_value=Decimal("0.00"), max_value=Decimal("999.99"), places=2)
korting = st.decimals(min_value=Decimal("0.00"), max_value=Decimal("100.00"), places=2)


@given(maandpremie=geld, percentage=korting, dagen_in_maand=st.sampled_from([28, 29, 30, 31]), data=st.data())
def test_proration_is_by_day_and_adds_up(maandpremie, percentage, dagen_in_maand, data):
    dagen = data.draw(st.integers(min_value=1, max_value=dagen_in_maand))
    b = premie.bedrag(maandpremie, percentage, dagen, dagen_in_maand)
    assert b.bruto == b.korting + b.netto
    assert abs(b.bruto - maandpremie * dagen / dagen_in_maand) <= Decimal("0.005")
    assert Decimal("0") <= b.netto <= b.bruto
    heel = premie.bedrag(maandpremie, percentage, dagen_in_maand, dagen_in_maand)
    assert heel.bruto == maandpremie
    # More days never cost less; the split of a month never differs from the whole by more
    # than a cent per part (rounding).
    if dagen < dagen_in_maand:
        rest = premie.bedrag(maandpremie, percentage, dagen_in_maand - dagen, dagen_in_maand)
        assert premie.bedrag(maandpremie, percentage, dagen + 1, dagen_in_maand).bruto >= b.bruto
        assert abs(b.bruto + rest.bruto - heel.bruto) <= Decimal("0.01")


@given(geboren=st.dates(date(1990, 1, 1), date(2025, 12, 31)))
def test_basis_premium_is_owed_from_the_month_after_the_18th_birthday(geboren):
    vanaf = premie.premieplichtig_vanaf(geboren)
    assert vanaf.day == 1
    laatste = calendar.monthrange(geboren.year + 18, geboren.month)[1]
    verjaardag = date(geboren.year + 18, geboren.month, min(geboren.day, laatste))
    assert verjaardag < vanaf <= verjaardag + timedelta(days=31)
    assert (vanaf - timedelta(days=1)).month == verjaardag.month
    vrij = premie.maandbedrag(
        maandpremie=Decimal("150"),
        korting_percentage=Decimal("5"),
        soort="basis",
        geboortedatum=geboren,
        maand=verjaardag.replace(day=1),
        van=verjaardag.replace(day=1),
        tm=verjaardag,
    )
    assert vrij == premie.NUL
    betaald = premie.maandbedrag(
        maandpremie=Decimal("150"),
        korting_percentage=Decimal("5"),
        soort="basis",
        geboortedatum=geboren,
        maand=vanaf,
        van=vanaf,
        tm=vanaf + timedelta(days=9),
    )
    assert betaald.bruto > 0
    aanvullend = premie.maandbedrag(
        maandpremie=Decimal("20"),
        korting_percentage=Decimal("0"),
        soort="aanvullend",
        geboortedatum=geboren,
        maand=verjaardag.replace(day=1),
        van=verjaardag.replace(day=1),
        tm=verjaardag.replace(day=1),
    )
    assert aanvullend.bruto > 0  # only the basisverzekering is free for children


def test_leap_day_birthday():
    assert premie.premieplichtig_vanaf(date(2008, 2, 29)) == date(2026, 3, 1)
    assert premie.premieplichtig_vanaf(date(2008, 12, 31)) == date(2027, 1, 1)
    assert premie.premieplichtig_vanaf(date(2008, 6, 1)) == date(2026, 7, 1)


# -- generation against the deelnames -------------------------------------------------------------

NOVEMBER = date(2026, 11, 1)


def _verzekerd(
    contract,
    basis,
    extra=None,
    *,
    ingang,
    einde=None,
    geboren=date(1970, 5, 1),
    achternaam="Jansen",
    extra_vanaf=None,
):
    """A deelnemer with a polis: the basisverzekering and optionally an aanvullend pakket."""
    persoon = factories.persoon(achternaam=achternaam, geboortedatum=geboren)
    deelname = factories.deelname(
        persoon,
        contract,
        ingangsdatum=ingang,
        einddatum=einde,
        reden_einde="einde_collectiviteit" if einde else None,
    )
    polis = Polis(
        polisnummer=f"PB{persoon.relatienummer}",
        persoon=persoon,
        contract_id=contract.id,
        ingangsdatum=ingang,
        einddatum=einde,
        betalingswijze="via_werkgever",
    )
    polis.producten.append(PolisProduct(product=basis, ingangsdatum=ingang, einddatum=einde))
    if extra is not None:
        polis.producten.append(
            PolisProduct(product=extra, ingangsdatum=extra_vanaf or ingang, einddatum=einde)
        )
    db.session.add(polis)
    db.session.flush()
    return persoon, deelname


@pytest.fixture
def tarieven(world):
    basis = factories.product(code="BASIS", premie="150.00", jaar=2026)
    extra = factories.product(code="GOED", soort="aanvullend", premie="20.00", jaar=2026)
    factories.aanbod(world.contract_a, basis, korting="5.00")
    factories.aanbod(world.contract_a, extra, korting="10.00")
    db.session.commit()
    return basis, extra


def _regels(borderel) -> list[dict]:
    tekst = lees_csv(borderel).decode("utf-8")
    assert tekst.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(tekst.lstrip("\ufeff")), delimiter=";"))


def _bedrag(tekst: str) -> Decimal:
    return Decimal(tekst.replace(",", "."))


def test_borderel_lines_follow_the_deelnames_of_the_month(app, world, tarieven):
    basis, extra = tarieven
    c = world.contract_a
    heel, _ = _verzekerd(c, basis, extra, ingang=date(2025, 1, 1), achternaam="Heel")
    _verzekerd(c, basis, ingang=date(2026, 11, 16), achternaam="Laat")  # 15 of 30 days
    _verzekerd(c, basis, ingang=date(2026, 1, 1), einde=date(2026, 11, 10), achternaam="Weg")
    _verzekerd(c, basis, extra, ingang=date(2026, 11, 30), einde=date(2026, 11, 30), achternaam="Kort")
    _verzekerd(c, basis, ingang=date(2020, 1, 1), geboren=date(2010, 3, 3), achternaam="Kind")
    _verzekerd(c, basis, ingang=date(2020, 1, 1), einde=date(2026, 10, 31), achternaam="Oud")
    db.session.commit()

    uitkomst = _genereer(c, NOVEMBER, gemaakt_op=date(2026, 11, 20))
    borderel = db.session.get(Borderel, uitkomst.borderel_id)
    rijen = _regels(borderel)
    premies = {(r["Naam"], r["Product"]): r for r in rijen if r["Soort regel"] == "Premie"}
    assert ("J. Oud", "Product BASIS") not in premies  # ended before the month
    assert ("J. Alfastra", "Product BASIS") not in premies  # a deelnemer without a polis pays nothing here
    assert premies[("J. Heel", "Product BASIS")]["Bruto premie"] == "150,00"
    assert premies[("J. Heel", "Product BASIS")]["Collectieve korting"] == "7,50"
    assert premies[("J. Heel", "Product GOED")]["Netto premie"] == "18,00"
    laat = premies[("J. Laat", "Product BASIS")]
    assert (laat["Periode van"], laat["Periode t/m"], laat["Bruto premie"]) == (
        "16-11-2026",
        "30-11-2026",
        "75,00",
    )
    assert premies[("J. Weg", "Product BASIS")]["Bruto premie"] == "50,00"  # 10 of 30 days
    assert premies[("J. Kort", "Product GOED")]["Bruto premie"] == "0,67"  # one day of 20,00
    assert premies[("J. Kind", "Product BASIS")]["Bruto premie"] == "0,00"  # 16 years old
    assert rijen[-1]["Relatienummer"] == "Totaal"

    # The totals line, the borderel row, the stored lines and the factuur all agree.
    regels = rijen[:-1]
    for kolom, veld in (
        ("Bruto premie", "totaal_bruto"),
        ("Collectieve korting", "totaal_korting"),
        ("Netto premie", "totaal_netto"),
    ):
        som = sum(_bedrag(r[kolom]) for r in regels)
        assert som == _bedrag(rijen[-1][kolom]) == getattr(borderel, veld)
    assert borderel.factuur.bedrag == borderel.totaal_netto
    opgeslagen = db.session.execute(
        select(func.count(), func.sum(BorderelRegel.netto)).where(BorderelRegel.borderel_id == borderel.id)
    ).one()
    assert opgeslagen[0] == len(regels) == borderel.aantal_regels
    assert Decimal(opgeslagen[1]).quantize(Decimal("0.01")) == borderel.totaal_netto
    assert borderel.bestandsnaam.startswith(f"BOR-{c.nummer}-20261120-1ZENZ-")
    assert heel.relatienummer in {r["Relatienummer"] for r in regels}


def test_generation_is_idempotent_and_documents_are_immutable(app, world, tarieven, runner):
    basis, _ = tarieven
    _verzekerd(world.contract_a, basis, ingang=date(2025, 1, 1))
    db.session.commit()
    eerste = runner.invoke(
        args=["borderellen-maken", "--maand", "2026-10", "--contract", world.contract_a.nummer]
    )
    assert "1 borderel(len) gemaakt" in eerste.output, eerste.output
    tweede = runner.invoke(
        args=["borderellen-maken", "--maand", "2026-10", "--contract", world.contract_a.nummer]
    )
    assert "0 borderel(len) gemaakt, 1 bestonden al" in tweede.output
    assert db.session.scalar(select(func.count()).select_from(Borderel)) == 1
    fout = runner.invoke(args=["borderellen-maken", "--maand", "oktober"])
    assert fout.exit_code != 0 and "jjjj-mm" in fout.output
    onbekend = runner.invoke(args=["borderellen-maken", "--contract", "999999"])
    assert onbekend.exit_code != 0 and "Onbekend contract: 999999" in onbekend.output
    bericht = db.session.scalars(select(Bericht).where(Bericht.categorie == "Borderel")).one()
    assert "oktober 2026" in bericht.tekst


def test_a_late_change_becomes_a_correction_in_the_next_borderel(app, world, tarieven):
    basis, _ = tarieven
    c = world.contract_a
    persoon, deelname = _verzekerd(c, basis, ingang=date(2025, 1, 1), achternaam="Laatafmelder")
    db.session.commit()
    oktober = db.session.get(Borderel, _genereer(c, date(2026, 10, 1)).borderel_id)
    inhoud_oktober = hashlib.sha256(oktober.inhoud).hexdigest()
    assert [r["Bruto premie"] for r in _regels(oktober)[:-1]] == ["150,00"]

    # Afgemeld in November, back to 15 October: half of October was billed too much.
    afmelden.afmelden(
        deelname, date(2026, 10, 15), "einde_collectiviteit", vandaag=date(2026, 11, 2), bron="test"
    )
    # And someone registered late, from 1 October.
    _verzekerd(c, basis, ingang=date(2026, 10, 1), achternaam="Laataanmelder")
    db.session.commit()

    november = db.session.get(Borderel, _genereer(c, NOVEMBER).borderel_id)
    rijen = _regels(november)[:-1]
    correcties = {r["Naam"]: r for r in rijen if r["Soort regel"].startswith("Correctie")}
    assert correcties["J. Laatafmelder"]["Soort regel"] == "Correctie oktober 2026"
    assert correcties["J. Laatafmelder"]["Bruto premie"] == "-77,42"  # 16 of 31 days not insured
    assert correcties["J. Laataanmelder"]["Bruto premie"] == "150,00"
    assert "J. Laatafmelder" not in {r["Naam"] for r in rijen if r["Soort regel"] == "Premie"}
    # October's file is untouched; October is now billed exactly what it owes.
    assert hashlib.sha256(db.session.get(Borderel, oktober.id).inhoud).hexdigest() == inhoud_oktober
    gefactureerd = db.session.scalar(
        select(func.sum(BorderelRegel.bruto)).where(
            BorderelRegel.contract_id == c.id, BorderelRegel.maand == date(2026, 10, 1)
        )
    )
    verschuldigd = sum(r.bedrag.bruto for r in borderellen.premieregels(c.id, date(2026, 10, 1)))
    assert Decimal(gefactureerd).quantize(Decimal("0.01")) == verschuldigd
    # A third month with no further change brings no corrections.
    db.session.get(Borderel, november.id)
    december = db.session.get(Borderel, _genereer(c, date(2026, 12, 1)).borderel_id)
    assert not [r for r in _regels(december)[:-1] if r["Soort regel"] != "Premie"]


def test_factuur_pdf_reads_back_with_the_borderel_totals(app, world, tarieven):
    basis, extra = tarieven
    _verzekerd(world.contract_a, basis, extra, ingang=date(2025, 1, 1), achternaam="Łukasiewicz")
    world.org.naam = "Gemeente Łódź-Zuid"  # outside Windows-1252: the embedded font prints it
    db.session.commit()
    borderel = db.session.get(
        Borderel, _genereer(world.contract_a, NOVEMBER, gemaakt_op=date(2026, 11, 20)).borderel_id
    )
    tekst = "".join(page.extract_text() for page in PdfReader(io.BytesIO(borderel.factuur.pdf)).pages)
    assert f"F202611-{world.contract_a.nummer}" in tekst
    assert "november 2026" in tekst and world.org.kvk_nummer in tekst
    assert "Gemeente Łódź-Zuid" in tekst
    assert "€ 160,50" in tekst  # 142,50 + 18,00 after discount
    assert "20-12-2026" in tekst  # due in 30 days
    assert borderel.bestandsnaam in tekst


def test_core_font_only_when_every_text_fits_it():
    from portal.documents import opmaak

    assert opmaak.westers(["Gemeente Súdwest-Fryslân", "€ 12,50"])
    assert not opmaak.westers(["Gemeente Łódź"])
    assert opmaak.document("F1", "F1", teksten=["Gemeente Leiden"]).letter == "helvetica"
    assert opmaak.document("F1", "F1", teksten=["Łódź"]).letter == "DejaVu"


# -- the screen -------------------------------------------------------------------------------------


def test_screen_lists_and_downloads_with_audit(login_as, world, tarieven):
    basis, _ = tarieven
    _verzekerd(world.contract_a, basis, ingang=date(2025, 1, 1))
    db.session.commit()
    vandaag = date.today()
    oud = _genereer(world.contract_a, date(vandaag.year - 2, vandaag.month, 1))
    nieuw = _genereer(world.contract_a, vandaag)
    db.session.commit()  # the test is the edge here: the screen reads them in its own requests
    fin = login_as("financieel")
    html = fin.client.get("/borderellen").get_data(as_text=True)
    nieuwe = db.session.get(Borderel, nieuw.borderel_id)
    assert nieuwe.bestandsnaam in html and "Download" in html
    assert db.session.get(Borderel, oud.borderel_id).bestandsnaam not in html  # older than a year
    csv_antwoord = fin.client.get(f"/borderellen/{nieuw.borderel_id}/borderel.csv")
    assert csv_antwoord.status_code == 200
    assert nieuwe.bestandsnaam in csv_antwoord.headers["Content-Disposition"]
    assert csv_antwoord.data.startswith("\ufeffRelatienummer;BSN".encode())
    pdf = fin.client.get(f"/borderellen/{nieuw.borderel_id}/factuur.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert fin.client.get(f"/borderellen/{oud.borderel_id}/factuur.pdf").status_code == 404
    acties = db.session.scalars(select(AuditLog.gebeurtenis).where(AuditLog.actie == "export")).all()
    assert {"borderel_downloaden", "factuur_downloaden"} <= set(acties)


def test_foreign_borderel_is_not_found(login_as, world, tarieven):
    vreemd = _genereer(world.contract_b, date.today())
    db.session.commit()
    fin = login_as("financieel")
    assert fin.client.get(f"/borderellen/{vreemd.borderel_id}/borderel.csv").status_code == 404
    assert fin.client.get(f"/borderellen/{vreemd.borderel_id}/factuur.pdf").status_code == 404
    assert fin.client.get("/borderellen/999999/factuur.pdf").status_code == 404
