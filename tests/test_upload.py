"""Upload aan- en afmeldingen: the template, reading files, the dry run, processing, resuming."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import pytest
import xlsxwriter
from openpyxl import load_workbook
from sqlalchemy import func, select

from portal.demo.people import bsn_generator
from portal.domain import intake
from portal.domain.dates import vandaag
from portal.extensions import db
from portal.intake import uploads
from portal.intake.bestand import KOLOMMEN
from portal.models import AuditLog, Bericht, Deelname, Melding, Persoon, Upload, UploadRegel

pytestmark = pytest.mark.postgres

_bsns = bsn_generator("9994")
KOPPEN = [k for k, _ in KOLOMMEN]


def dmy(dagen: int = 0) -> str:
    return (vandaag() + timedelta(days=dagen)).strftime("%d-%m-%Y")


def aanmeldregel(bsn: str | None = None, **extra) -> dict:
    regel = {
        "Soort": "aanmelding",
        "BSN": bsn or next(_bsns),
        "Voorletters": "K.",
        "Achternaam": "Nowak",
        "Geslacht": "V",
        "Geboortedatum": "12-04-1990",
        "Nationaliteit": "Pools",
        "Straat": "Havenweg",
        "Huisnummer": "3",
        "Postcode": "2671 AB",
        "Woonplaats": "Naaldwijk",
        "Ingangsdatum": dmy(-5),
    }
    regel.update(extra)
    return regel


def als_csv(regels: list[dict], scheiding: str = ";", bom: bool = True, koppen=None) -> bytes:
    buffer = io.StringIO()
    koppen = koppen or KOPPEN
    writer = csv.writer(buffer, delimiter=scheiding, lineterminator="\r\n")
    writer.writerow(koppen)
    for regel in regels:
        writer.writerow([regel.get(k, "") for k in koppen])
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def als_xlsx(rijen: list[list]) -> bytes:
    buffer = io.BytesIO()
    werkmap = xlsxwriter.Workbook(buffer, {"in_memory": True})
    blad = werkmap.add_worksheet()
    datum = werkmap.add_format({"num_format": "dd-mm-yyyy"})
    for r, rij in enumerate(rijen):
        for k, waarde in enumerate(rij):
            if isinstance(waarde, datetime):
                blad.write_datetime(r, k, waarde, datum)
            elif waarde is not None:
                blad.write(r, k, waarde)
    werkmap.close()
    return buffer.getvalue()


@pytest.fixture
def admin(login_as):
    return login_as("administratief")


def upload(admin, world, inhoud: bytes, naam: str = "meldingen.csv", contract=None):
    return admin.post(
        "/upload",
        {"contract": (contract or world.contract_a).nummer, "bestand": (io.BytesIO(inhoud), naam)},
        csrf_from="/upload",
        content_type="multipart/form-data",
    )


def laatste_upload() -> Upload:
    return db.session.scalar(select(Upload).order_by(Upload.id.desc()))


def _telling(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


# -- template -----------------------------------------------------------------------------------


def test_the_templates_have_the_columns_and_examples(admin, world):
    response = admin.client.get(f"/upload/sjabloon.xlsx?contract={world.contract_a.nummer}")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    blad = load_workbook(io.BytesIO(response.data)).active
    rijen = list(blad.iter_rows(values_only=True))
    assert list(rijen[0]) == KOPPEN
    assert [r[0] for r in rijen[1:]] == ["aanmelding", "afmelding", "wijziging"]
    assert rijen[1][KOPPEN.index("Collectiviteitsnummer")] == world.contract_a.collectiviteitsnummer
    assert isinstance(rijen[1][KOPPEN.index("Geboortedatum")], datetime)
    assert blad.freeze_panes == "A2"
    tekst = admin.client.get(f"/upload/sjabloon.csv?contract={world.contract_a.nummer}").data.decode("utf-8")
    assert tekst.startswith("\ufeffSoort;Collectiviteitsnummer;KvK-nummer;BSN")
    assert ";12-04-1991;" in tekst


def test_the_template_of_a_foreign_contract_is_404(admin, world):
    assert admin.client.get(f"/upload/sjabloon.xlsx?contract={world.contract_b.nummer}").status_code == 404


# -- dry run and processing ---------------------------------------------------------------------------


def test_a_file_is_checked_first_and_changes_nothing_until_processed(admin, world):
    goed = [aanmeldregel(), aanmeldregel()]
    fout = aanmeldregel(bsn="123456789")
    afmelding = {
        "Soort": "afmelding",
        "BSN": world.persoon_a.bsn,
        "Einddatum": dmy(0),
        "Reden": "Einde collectiviteit",
    }
    response = upload(admin, world, als_csv([goed[0], fout, goed[1], afmelding]))
    assert response.status_code == 303
    u = laatste_upload()
    assert (u.status, u.totaal, u.goedgekeurd) == ("gecontroleerd", 4, 3)
    assert _telling(Melding) == 0 and _telling(Persoon) == 2
    pagina = admin.client.get(response.headers["Location"]).text
    assert "3 van de 4 meldingen zijn in orde" in pagina
    assert "BSN: Dit BSN klopt niet" in pagina and "<td>3</td>" in pagina  # the header is line 1
    assert "<td>2</td>" not in pagina and "<td>4</td>" not in pagina  # lines in order are not listed
    verwerkt = admin.post(f"/upload/{u.opslag_naam}/verwerken", csrf_from=response.headers["Location"])
    assert verwerkt.status_code == 303
    db.session.refresh(u)
    assert (u.status, u.verwerkt, u.afgekeurd, u.gedaan) == ("klaar", 3, 1, 4)
    meldingen = db.session.scalars(select(Melding).order_by(Melding.regelnummer)).all()
    assert [(m.regelnummer, m.status, m.kanaal) for m in meldingen] == [
        (2, "verwerkt", "upload"),
        (3, "afgekeurd", "upload"),
        (4, "verwerkt", "upload"),
        (5, "verwerkt", "upload"),
    ]
    assert meldingen[1].fouten[0]["code"] == "bsn_ongeldig" and meldingen[1].afgehandeld_op is None
    assert _telling(Deelname, Deelname.einddatum.is_(None)) == 3  # two new, contract B's own
    assert _telling(Bericht) == 4
    assert db.session.scalar(select(Bericht.tekst).where(Bericht.categorie == "Verwerking")) == (
        "Upload meldingen.csv verwerkt: 3 verwerkt, 1 afgekeurd (zie Mislukte verwerkingen)"
    )
    pagina = admin.client.get(response.headers["Location"]).text
    assert "Klaar: 3 verwerkt, 1 afgekeurd." in pagina
    records = db.session.scalars(select(AuditLog.gebeurtenis)).all()
    assert {"upload_ontvangen", "upload_verwerken", "melding_aanmelding", "melding_afmelding"} <= set(records)


def test_processing_twice_applies_each_line_once(admin, world):
    response = upload(admin, world, als_csv([aanmeldregel()]))
    u = laatste_upload()
    for _ in range(2):
        admin.post(f"/upload/{u.opslag_naam}/verwerken", csrf_from=response.headers["Location"])
    assert _telling(Melding) == 1 and _telling(Deelname) == 3


def test_an_interrupted_run_resumes_without_applying_a_line_twice(admin, world):
    regels = [aanmeldregel() for _ in range(4)]
    upload(admin, world, als_csv(regels))
    u = laatste_upload()
    assert uploads.start_verwerking(u)
    # A previous run committed two lines and then stopped before recording them on the lines.
    van = uploads.afzender(u)
    for regel in db.session.scalars(select(UploadRegel).order_by(UploadRegel.regelnummer).limit(2)):
        intake.ontvang(intake.MeldingIn.uit_json(regel.gegevens), van, regelnummer=regel.regelnummer)
    uploads.verwerk(u.id)
    db.session.refresh(u)
    assert (u.status, u.verwerkt, u.afgekeurd) == ("klaar", 4, 0)
    assert _telling(Melding) == 4 and _telling(Deelname) == 6


def test_a_stalled_upload_is_found_again(admin, world):
    upload(admin, world, als_csv([aanmeldregel()]))
    u = laatste_upload()
    uploads.start_verwerking(u)
    assert uploads.vastgelopen() == []
    u.voortgang_op = u.voortgang_op - timedelta(minutes=6)
    db.session.commit()
    assert uploads.vastgelopen() == [u]


def test_a_checked_upload_can_be_dropped(admin, world):
    response = upload(admin, world, als_csv([aanmeldregel()]))
    u = laatste_upload()
    admin.post(f"/upload/{u.opslag_naam}/annuleren", csrf_from=response.headers["Location"])
    db.session.refresh(u)
    assert u.status == "geannuleerd"
    admin.post(f"/upload/{u.opslag_naam}/verwerken", csrf_from=response.headers["Location"])
    assert _telling(Melding) == 0
    assert "Er is niets gewijzigd" in admin.client.get(response.headers["Location"]).text


def test_the_progress_fragment_polls_while_a_phase_runs(admin, world):
    upload(admin, world, als_csv([aanmeldregel() for _ in range(3)]))
    u = laatste_upload()
    u.status, u.gedaan = "verwerken", 2
    db.session.commit()
    fragment = admin.client.get(f"/upload/{u.opslag_naam}/voortgang", headers={"HX-Request": "true"}).text
    assert 'hx-trigger="every 1s"' in fragment and 'value="2"' in fragment and "2 van 3 regels" in fragment
    assert "<html" not in fragment
    u.status = "klaar"
    db.session.commit()
    fragment = admin.client.get(f"/upload/{u.opslag_naam}/voortgang", headers={"HX-Request": "true"}).text
    assert "hx-trigger" not in fragment and "Klaar:" in fragment


# -- reading files ---------------------------------------------------------------------------------


def test_excel_with_date_cells_numbers_and_labels(admin, world):
    bsn = next(_bsns)
    regel = aanmeldregel(bsn=bsn)
    rij = [regel.get(k) for k in KOPPEN]
    rij[KOPPEN.index("BSN")] = int(bsn)
    rij[KOPPEN.index("Geboortedatum")] = datetime(1990, 4, 12)
    rij[KOPPEN.index("Ingangsdatum")] = datetime.combine(vandaag() - timedelta(days=5), datetime.min.time())
    rij[KOPPEN.index("Huisnummer")] = 3
    rij[KOPPEN.index("Soort")] = "Aanmelding"
    assert upload(admin, world, als_xlsx([KOPPEN, rij, [None] * 3]), "m.xlsx").status_code == 303
    u = laatste_upload()
    assert (u.totaal, u.goedgekeurd) == (1, 1)
    regel = db.session.scalar(select(UploadRegel))
    assert regel.gegevens["persoon"]["bsn"] == bsn
    assert regel.gegevens["persoon"]["geboortedatum"] == "1990-04-12"
    assert regel.gegevens["collectiviteitsnummer"] == world.contract_a.collectiviteitsnummer


@pytest.mark.parametrize("scheiding,bom", [(";", True), (",", False), (",", True)])
def test_csv_with_either_separator_and_with_or_without_bom(admin, world, scheiding, bom):
    upload(admin, world, als_csv([aanmeldregel()], scheiding, bom))
    assert laatste_upload().goedgekeurd == 1


def test_only_some_columns_in_another_order(admin, world):
    koppen = ["BSN", "Soort", "Einddatum"]
    inhoud = als_csv([{"Soort": "afmelding", "BSN": world.persoon_a.bsn, "Einddatum": dmy()}], koppen=koppen)
    upload(admin, world, inhoud)
    assert laatste_upload().goedgekeurd == 1


def test_line_errors_soort_double_and_foreign_contract(admin, world):
    dubbel = aanmeldregel()
    regels = [
        {"Soort": "verhuizing", "BSN": next(_bsns)},
        dubbel,
        dict(dubbel),
        aanmeldregel(Collectiviteitsnummer=world.contract_b.collectiviteitsnummer),
    ]
    response = upload(admin, world, als_csv(regels))
    pagina = admin.client.get(response.headers["Location"]).text
    assert "Vul bij Soort aanmelding, afmelding of wijziging in." in pagina
    assert "staat al op regel 3" in pagina
    assert "U kunt geen meldingen doen voor dit collectiviteitsnummer." in pagina
    u = laatste_upload()
    assert u.goedgekeurd == 1
    admin.post(f"/upload/{u.opslag_naam}/verwerken", csrf_from=response.headers["Location"])
    db.session.refresh(u)
    assert (u.verwerkt, u.afgekeurd) == (1, 3)
    codes = {
        m.regelnummer: m.fouten[0]["code"] if m.fouten else None for m in db.session.scalars(select(Melding))
    }
    assert codes == {3: None, 4: "dubbel_in_bestand", 5: "afzender_niet_bevoegd"}  # line 2: no melding
    assert _telling(Deelname, Deelname.contract_id == world.contract_b.id) == 1


@pytest.mark.parametrize(
    "inhoud,naam,tekst",
    [
        (b"Soort;BSN\r\naanmelding;1\r\n", "meldingen.txt", "Kies een bestand van het type .xlsx"),
        (b"Soort;BSN\r\naanmelding;1\r\n", "meldingen.xlsx", "Dit is geen Excel-bestand"),
        (b"PK\x03\x04 kapot", "meldingen.xlsx", "kan niet worden gelezen"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "meldingen.csv", "Dit is geen CSV-bestand"),
        ("Soort;BSN\r\naanmelding;Müller\r\n".encode("latin-1"), "meldingen.csv", "niet in UTF-8"),
        (b"Soort;BSN;Salaris\r\naanmelding;1;3000\r\n", "meldingen.csv", "Onbekende kolom(men): Salaris"),
        (b"Achternaam\r\nJansen\r\n", "meldingen.csv", "De kolom(men) Soort, BSN ontbreken"),
        (b"", "meldingen.csv", "Het bestand is leeg"),
        (b"Soort;BSN\r\n;\r\n", "meldingen.csv", "bevat geen meldingen"),
    ],
)
def test_a_file_that_is_not_a_template_gets_one_message_and_changes_nothing(
    admin, world, inhoud, naam, tekst
):
    response = upload(admin, world, inhoud, naam)
    assert response.status_code == 422
    assert tekst in response.text
    assert 'class="foutoverzicht"' in response.text
    assert _telling(Upload) == 0


def test_too_many_lines(admin, world, app):
    app.config["UPLOAD_MAX_REGELS"] = 3
    response = upload(admin, world, als_csv([aanmeldregel() for _ in range(4)]))
    assert response.status_code == 422 and "meer dan 3 meldingen" in response.text


def test_no_file_chosen(admin, world):
    response = admin.post("/upload", {"contract": world.contract_a.nummer}, csrf_from="/upload")
    assert response.status_code == 422 and "Kies een bestand" in response.text


def test_an_oversized_file_is_413(admin, world, app):
    app.config["MAX_CONTENT_LENGTH"] = 2000
    response = upload(admin, world, als_csv([aanmeldregel() for _ in range(40)]))
    assert response.status_code == 413


def test_another_contracts_upload_is_404(admin, world, login_as):
    response = upload(admin, world, als_csv([aanmeldregel()]))
    assert upload(admin, world, als_csv([aanmeldregel()]), contract=world.contract_b).status_code == 404
    vreemd = login_as("vreemd")
    assert vreemd.client.get(response.headers["Location"]).status_code == 404
    token = laatste_upload().opslag_naam
    assert vreemd.post(f"/upload/{token}/verwerken").status_code == 404
    assert _telling(Melding) == 0


def test_recent_uploads_are_listed(admin, world):
    upload(admin, world, als_csv([aanmeldregel()]), naam="januari.csv")
    pagina = admin.client.get("/upload").text
    assert "januari.csv" in pagina and "Gecontroleerd, nog niet verwerkt" in pagina
    # The page shows the Dutch date, which is a day ahead of UTC between 23:00 and 00:00 UTC.
    assert vandaag().strftime("%d-%m-%Y") in pagina


def test_a_file_name_with_a_nul_byte_is_refused_and_stores_nothing(admin, world):
    """PostgreSQL cannot store the name; no system makes such a name, so the request is a 400."""
    response = upload(admin, world, als_csv([aanmeldregel()]), naam="mel\x00dingen.csv")
    assert response.status_code == 400 and "stuurteken" in response.text
    assert _telling(Upload) == 0


def test_a_csv_with_a_nul_byte_is_not_a_csv(admin, world):
    response = upload(admin, world, als_csv([aanmeldregel(Achternaam="No\x00wak")]))
    assert response.status_code == 422 and "Dit is geen CSV-bestand" in response.text
    assert _telling(Upload) == 0
