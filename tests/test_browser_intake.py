"""Real Chromium through the intake screens: an upload checked and processed by a real background
consumer (the progress bar follows it), its report and Excel, correcting the rejected line on
Mislukte verwerkingen, and rotating the API password on Koppeling salarisadministratie."""

from __future__ import annotations

import base64
import io
import signal
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from portal import tasks
from portal.demo.people import bsn_generator
from portal.domain.dates import vandaag
from tests.browser import assert_accessible, login
from tests.test_upload import aanmeldregel, als_csv

pytestmark = pytest.mark.browser

_bsns = bsn_generator("9993")


@pytest.fixture
def achtergrond(live_server):
    """A huey consumer thread on the live server's app; the test starts it when it wants."""
    tasks.huey.immediate = False
    tasks.huey.flush()
    tasks._app = live_server[1]
    consumer = tasks.huey.create_consumer(workers=1, periodic=False, check_worker_health=False)
    gestart = []

    def start():
        handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
        consumer.start()
        for s, handler in handlers.items():  # the consumer sets its own; pytest keeps its
            signal.signal(s, handler)
        gestart.append(True)

    yield start
    if gestart:
        consumer.stop(graceful=True)
    tasks.huey.immediate = True
    tasks._app = None


def _werkblad(download):
    return load_workbook(io.BytesIO(download.path().read_bytes())).active


def _kies_bestand(page, inhoud: bytes, naam: str = "meldingen.csv") -> None:
    page.get_by_label("Bestand met meldingen").set_input_files(
        files=[{"name": naam, "mimeType": "text/csv", "buffer": inhoud}]
    )


def test_upload_dry_run_processing_report_and_correction(portal_page, base_url, achtergrond, screenshots):
    page = portal_page
    login(page, base_url, "Anna de Vries")
    dashboard = page.get_by_role("navigation", name="Dashboard")
    dashboard.get_by_role("link", name="Upload aan- en afmeldingen").click()
    expect(page.get_by_role("heading", name="1. Vul het sjabloon in")).to_be_visible()
    assert_accessible(page, "upload")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download het sjabloon (Excel)").click()
    kop = next(_werkblad(download.value).iter_rows(values_only=True))
    assert kop[:4] == ("Soort", "Collectiviteitsnummer", "KvK-nummer", "BSN")

    page.get_by_role("button", name="Controleren").click()  # no file: a clear error, nothing lost
    expect(page.get_by_role("heading", name="Er is een probleem")).to_be_focused()
    expect(page.get_by_text("Kies een bestand (.xlsx of .csv) met de meldingen.").first).to_be_visible()
    assert_accessible(page, "upload zonder bestand")

    regels = [aanmeldregel(next(_bsns), Achternaam=f"Browserupload{i}") for i in range(3)]
    regels.insert(1, aanmeldregel("123456789", Achternaam="Browserfout"))
    _kies_bestand(page, als_csv(regels))
    page.get_by_role("button", name="Controleren").click()
    expect(page.get_by_role("heading", name="Status: Wacht op controle")).to_be_visible()
    expect(page.locator("progress")).to_be_visible()
    assert_accessible(page, "wacht op controle")

    achtergrond()  # the consumer starts: the polled status follows without a reload
    expect(page.get_by_text("3 van de 4 meldingen zijn in orde.")).to_be_visible(timeout=20_000)
    tabel = page.get_by_role("table", name="Regels met een probleem")
    expect(tabel.get_by_role("row")).to_have_count(2)
    expect(tabel).to_contain_text("BSN: Dit BSN klopt niet")
    page.screenshot(path=screenshots / "upload-gecontroleerd.png", full_page=True)
    assert_accessible(page, "gecontroleerd")

    page.get_by_role("button", name="Verwerken", exact=True).click()
    expect(page.get_by_text("Klaar: 3 verwerkt, 1 afgekeurd.")).to_be_visible(timeout=20_000)
    assert_accessible(page, "verwerkt")
    page.get_by_role("link", name="Bekijk het verwerkingsverslag").click()
    expect(page.get_by_role("heading", name="Upload meldingen.csv")).to_be_visible()
    expect(page.get_by_role("table", name="Uitkomst per melding").get_by_role("row")).to_have_count(5)
    page.screenshot(path=screenshots / "verwerkingsverslag.png", full_page=True)
    assert_accessible(page, "verslag")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download dit verslag (Excel)").click()
    rijen = list(_werkblad(download.value).iter_rows(values_only=True))
    assert [r[5] for r in rijen[1:]] == ["verwerkt", "afgekeurd", "verwerkt", "verwerkt"]
    page.get_by_role("navigation", name="Dashboard").get_by_role("link", name="Verwerkingsverslagen").click()
    overzicht = page.get_by_role("table", name="Verwerkingsverslagen, nieuwste eerst")
    expect(overzicht.get_by_role("row").filter(has_text="Upload: meldingen.csv").first).to_contain_text("3")
    assert_accessible(page, "verwerkingsverslagen")

    page.get_by_role("navigation", name="Dashboard").get_by_role("link", name="Mislukte verwerkingen").click()
    rij = page.get_by_role("row").filter(has_text="Browserfout")
    rij.get_by_role("link", name="Verbeteren").click()
    expect(page.get_by_role("heading", name="Deze melding is afgekeurd")).to_be_visible()
    expect(page.get_by_label("BSN", exact=True)).to_have_value("123456789")
    page.screenshot(path=screenshots / "mislukte-verwerking.png", full_page=True)
    assert_accessible(page, "mislukte verwerking")
    page.get_by_label("BSN", exact=True).fill(next(_bsns))
    page.get_by_role("button", name="Opnieuw indienen").click()
    expect(page.get_by_text("De melding is verbeterd en verwerkt")).to_be_visible()
    expect(page.get_by_text("Er zijn geen mislukte verwerkingen.")).to_be_visible()
    assert_accessible(page, "mislukte verwerkingen leeg")


def _api_status(base_url: str, wachtwoord: str) -> int:
    auth = base64.b64encode(f"flexwerk-demo:{wachtwoord}".encode()).decode()
    request = urllib.request.Request(  # noqa: S310 - our own server
        f"{base_url}/api/v1/meldingen/bestaat-niet",
        headers={"Authorization": f"Basic {auth}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_accountbeheerder_rotates_the_api_password(portal_page, base_url, screenshots):
    page = portal_page
    assert _api_status(base_url, "flexwerk-demo-wachtwoord") == 404  # a real use of the demo credentials
    login(page, base_url, "Fatima El Amrani")
    page.get_by_role("navigation", name="Dashboard").get_by_role(
        "link", name="Koppeling salarisadministratie"
    ).click()
    tabel = page.get_by_role("table", name="Inloggegevens van uw organisatie")
    expect(tabel).to_contain_text("flexwerk-demo")
    expect(tabel).not_to_contain_text("Nog niet gebruikt")
    assert_accessible(page, "koppeling")
    page.get_by_role("button", name="Nieuw wachtwoord voor flexwerk-demo").click()
    wachtwoord = page.locator("code.wachtwoord").inner_text()
    assert len(wachtwoord) >= 24
    page.screenshot(path=screenshots / "koppeling-nieuw-wachtwoord.png", full_page=True)
    assert_accessible(page, "nieuw wachtwoord")
    assert _api_status(base_url, "flexwerk-demo-wachtwoord") == 401
    assert _api_status(base_url, wachtwoord) == 404


def test_a_dry_run_shows_each_line_before_anything_changes(portal_page, base_url):
    """A file with an afmelding that is too far back: reported, and nothing changed."""
    page = portal_page
    login(page, base_url, "Anna de Vries")
    page.goto(f"{base_url}/upload")
    regel = {
        "Soort": "afmelding",
        "BSN": next(_bsns),
        "Einddatum": (vandaag() - timedelta(days=200)).strftime("%d-%m-%Y"),
    }
    _kies_bestand(page, als_csv([regel]))
    page.get_by_role("button", name="Controleren").click()
    expect(page.get_by_text("0 van de 1 meldingen zijn in orde.")).to_be_visible()
    expect(page.get_by_role("table", name="Regels met een probleem")).to_contain_text(
        "Deze persoon heeft geen lopende deelname"
    )
    page.get_by_role("button", name="Niet verwerken").click()
    expect(page.get_by_text("Er is niets gewijzigd.")).to_be_visible()
