"""Verwerkingsverslagen and Mislukte verwerkingen: overview, reports, Excel, correcting, discarding."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from portal.domain import intake
from portal.domain.dates import vandaag
from portal.extensions import db
from portal.models import AuditLog, Deelname, Melding
from portal.transaction import transaction
from tests import factories
from tests.test_upload import aanmeldregel, admin, als_csv, dmy, laatste_upload, upload  # noqa: F401

pytestmark = pytest.mark.postgres


def _api_melding(world, melding_id: str, **persoon) -> Melding:
    body = factories.api_aanmelding(world.org, world.contract_a, melding_id, **persoon)
    afzender = intake.Afzender(kanaal="api", bron="api:1", organisatie_id=world.org.id)
    with transaction():
        return intake.ontvang(intake.MeldingIn.uit_json(body), afzender).melding


@pytest.fixture
def verwerkte_upload(admin, world):  # noqa: F811
    response = upload(
        admin, world, als_csv([aanmeldregel(), aanmeldregel(bsn="123456789", Achternaam="Foutmans")])
    )
    u = laatste_upload()
    admin.post(f"/upload/{u.opslag_naam}/verwerken", csrf_from=response.headers["Location"])
    db.session.refresh(u)
    return u


def test_the_overview_lists_uploads_and_api_days(admin, world, verwerkte_upload):  # noqa: F811
    _api_melding(world, "a-1")
    _api_melding(world, "a-2", bsn="123456789")
    pagina = admin.client.get("/verwerkingsverslagen").text
    assert "Upload: meldingen.csv" in pagina and "Digitale meldingen (koppeling)" in pagina
    assert f"/verwerkingsverslagen/api/{world.contract_a.nummer}/{vandaag().isoformat()}" in pagina
    verslag = admin.client.get(f"/verwerkingsverslagen/api/{world.contract_a.nummer}/{vandaag().isoformat()}")
    assert verslag.status_code == 200
    assert "a-1" in verslag.text and "bsn_ongeldig" in verslag.text


def test_an_upload_report_and_its_excel(admin, world, verwerkte_upload):  # noqa: F811
    pagina = admin.client.get(f"/verwerkingsverslagen/upload/{verwerkte_upload.opslag_naam}").text
    assert "regel 2" in pagina and "regel 3" in pagina and "Dit BSN klopt niet" in pagina
    response = admin.client.get(f"/verwerkingsverslagen/upload/{verwerkte_upload.opslag_naam}.xlsx")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    rijen = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rijen[0][:3] == ("Regel of melding-ID", "Ontvangen", "Soort")
    assert [r[5] for r in rijen[1:]] == ["verwerkt", "afgekeurd"]
    assert rijen[2][6] == "bsn_ongeldig" and rijen[1][4]  # a relatienummer for the processed line
    gebeurtenissen = db.session.scalars(
        select(AuditLog.actie).where(AuditLog.gebeurtenis == "verwerkingsverslag")
    ).all()
    assert gebeurtenissen == ["read", "export"]


def test_reports_of_another_contract_are_404(login_as, world, verwerkte_upload):
    vreemd = login_as("vreemd")
    token = verwerkte_upload.opslag_naam
    assert vreemd.client.get(f"/verwerkingsverslagen/upload/{token}").status_code == 404
    assert (
        vreemd.client.get(
            f"/verwerkingsverslagen/api/{world.contract_a.nummer}/{vandaag().isoformat()}"
        ).status_code
        == 404
    )
    assert "meldingen.csv" not in vreemd.client.get("/verwerkingsverslagen").text


def test_mislukte_verwerkingen_lists_open_rejections_of_every_channel(admin, world, verwerkte_upload):  # noqa: F811
    _api_melding(world, "a-2", bsn="123456789", achternaam="Apifout")
    pagina = admin.client.get("/mislukte-verwerkingen").text
    assert "Aantal mislukte verwerkingen: 2" in pagina
    assert "Foutmans" in pagina and "Apifout" in pagina
    assert "Upload (regel 3)" in pagina and "Koppeling" in pagina


def test_a_corrected_melding_is_processed_and_leaves_the_list(admin, world, verwerkte_upload):  # noqa: F811
    fout = db.session.scalar(select(Melding).where(Melding.status == "afgekeurd"))
    pagina = admin.client.get(f"/mislukte-verwerkingen/{fout.kenmerk}")
    assert pagina.status_code == 200
    assert 'value="123456789"' in pagina.text and 'value="12-04-1990"' in pagina.text
    assert "Dit BSN klopt niet" in pagina.text and 'aria-invalid="true"' in pagina.text
    velden = {
        "persoon__bsn": "999990032",
        "persoon__voorletters": "K.",
        "persoon__achternaam": "Foutmans",
        "persoon__geslacht": "V",
        "persoon__geboortedatum": "12-04-1990",
        "persoon__nationaliteit": "Pools",
        "persoon__adres__straat": "Havenweg",
        "persoon__adres__huisnummer": "3",
        "persoon__adres__postcode": "2671 AB",
        "persoon__adres__woonplaats": "Naaldwijk",
        "ingangsdatum": dmy(-5),
    }
    response = admin.post(
        f"/mislukte-verwerkingen/{fout.kenmerk}", velden, csrf_from=f"/mislukte-verwerkingen/{fout.kenmerk}"
    )
    assert response.status_code == 303 and response.headers["Location"] == "/mislukte-verwerkingen"
    db.session.refresh(fout)
    assert fout.afgehandeld_op is not None and fout.afhandeling == "Gecorrigeerd en verwerkt"
    nieuw = db.session.scalar(select(Melding).where(Melding.kanaal == "correctie"))
    assert nieuw.status == "verwerkt" and nieuw.gegevens["persoon"]["bsn"] == "999990032"
    assert db.session.scalar(select(func.count()).select_from(Deelname)) == 4
    pagina = admin.client.get("/mislukte-verwerkingen").text
    assert "Aantal mislukte verwerkingen: 0" in pagina and "verbeterd en verwerkt" in pagina


def test_a_correction_that_fails_again_keeps_what_was_typed(admin, world, verwerkte_upload):  # noqa: F811
    fout = db.session.scalar(select(Melding).where(Melding.status == "afgekeurd"))
    response = admin.post(
        f"/mislukte-verwerkingen/{fout.kenmerk}",
        {"persoon__bsn": "111222333", "persoon__achternaam": "Nogsteeds"},
        csrf_from=f"/mislukte-verwerkingen/{fout.kenmerk}",
    )
    assert response.status_code == 303
    pagina = admin.client.get(response.headers["Location"]).text
    assert 'value="111222333"' in pagina and 'value="Nogsteeds"' in pagina
    assert "Vul de voorletters in." in pagina and "opnieuw afgekeurd" in pagina
    open_meldingen = db.session.scalars(
        select(Melding).where(Melding.status == "afgekeurd", Melding.afgehandeld_op.is_(None))
    ).all()
    assert [m.kanaal for m in open_meldingen] == ["correctie"]
    assert (
        admin.post(
            f"/mislukte-verwerkingen/{fout.kenmerk}",
            {"persoon__bsn": "1"},
            csrf_from="/mislukte-verwerkingen",
        ).status_code
        == 409
    )


@pytest.mark.parametrize(
    "waarde,melding",
    [
        ("Foutmans\x07", "bevat een teken dat geen tekst is"),
        ("a" * 301, "Achternaam is hoogstens 300 tekens."),
    ],
)
def test_a_correction_a_melding_cannot_hold_is_a_dutch_error_on_its_field(
    admin,  # noqa: F811 - the fixture imported from test_upload
    world,
    verwerkte_upload,
    waarde,
    melding,
):
    fout = db.session.scalar(select(Melding).where(Melding.status == "afgekeurd"))
    response = admin.post(
        f"/mislukte-verwerkingen/{fout.kenmerk}",
        {"persoon__bsn": "999990032", "persoon__achternaam": waarde},
        csrf_from=f"/mislukte-verwerkingen/{fout.kenmerk}",
    )
    assert response.status_code == 422
    assert melding in response.text and 'value="999990032"' in response.text
    db.session.refresh(fout)
    assert fout.afgehandeld_op is None


def test_discarding_needs_a_reason(admin, world, verwerkte_upload):  # noqa: F811
    fout = db.session.scalar(select(Melding).where(Melding.status == "afgekeurd"))
    pad = f"/mislukte-verwerkingen/{fout.kenmerk}/verwijderen"
    response = admin.post(pad, {"reden": " "}, csrf_from=f"/mislukte-verwerkingen/{fout.kenmerk}")
    assert response.status_code == 422 and "Vul een reden in" in response.text
    response = admin.post(pad, {"reden": "Al via het portaal aangemeld"}, csrf_from="/mislukte-verwerkingen")
    assert response.status_code == 303
    db.session.refresh(fout)
    assert fout.afhandeling == "Niet verwerkt: Al via het portaal aangemeld"


def test_another_contracts_rejections_are_404(login_as, world, verwerkte_upload):
    fout = db.session.scalar(select(Melding).where(Melding.status == "afgekeurd"))
    vreemd = login_as("vreemd")
    assert vreemd.client.get(f"/mislukte-verwerkingen/{fout.kenmerk}").status_code == 404
    assert (
        vreemd.post(
            f"/mislukte-verwerkingen/{fout.kenmerk}/verwijderen",
            {"reden": "x"},
            csrf_from="/mislukte-verwerkingen",
        ).status_code
        == 404
    )
    assert "Aantal mislukte verwerkingen: 0" in vreemd.client.get("/mislukte-verwerkingen").text


def test_users_with_several_contracts_can_narrow_both_lists(app, world):
    from tests import factories
    from tests.conftest import Portal

    tweede = factories.contract(world.org, naam="Gemeente Alfa 2")
    gebruiker = factories.gebruiker(world.org, contracten=[world.contract_a, tweede])
    db.session.commit()
    portal = Portal(app.test_client())
    portal.login(gebruiker)
    for pad in ("/verwerkingsverslagen", "/mislukte-verwerkingen"):
        pagina = portal.client.get(f"{pad}?contract={tweede.nummer}").text
        assert '<option value="">Alle contracten</option>' in pagina
        assert f'<option value="{tweede.nummer}" selected>' in pagina
