"""Upload aan- en afmeldingen: the template, the upload, the dry run and the processing."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from sqlalchemy import String, cast, select

from portal.documents import exports
from portal.domain.dates import vandaag
from portal.extensions import db
from portal.forms import EmptyForm, choices
from portal.forms.upload import UploadForm
from portal.intake import uploads
from portal.intake.bestand import KOP_VAN_PAD, OngeldigBestand, sjabloon_csv, sjabloon_xlsx
from portal.models import Contract, Upload, UploadRegel
from portal.transaction import transaction
from portal.web import access, audit, htmx

bp = Blueprint("upload", __name__)

BEZIG = ("ontvangen", "controleren", "verwerken")
STATUS_LABELS = {
    "ontvangen": "Wacht op controle",
    "controleren": "Wordt gecontroleerd",
    "gecontroleerd": "Gecontroleerd, nog niet verwerkt",
    "verwerken": "Wordt verwerkt",
    "klaar": "Verwerkt",
    "geannuleerd": "Geannuleerd",
}
MAX_GETOOND = 500


def _form(contracten: list[Contract]) -> UploadForm:
    form = UploadForm()
    form.contract.choices = choices((c.nummer, c.label) for c in contracten)
    return form


def _recent(contracten: list[Contract]) -> list[Upload]:
    if not contracten:
        return []
    return list(
        db.session.scalars(
            select(Upload)
            .where(Upload.contract_id.in_([c.id for c in contracten]))
            .order_by(Upload.created_at.desc())
            .limit(10)
        )
    )


def _pagina(form, contracten, status=200):
    html = render_template(
        "upload/index.html",
        form=form,
        contracten=contracten,
        uploads=_recent(contracten),
        labels=STATUS_LABELS,
    )
    return html, status


@bp.get("/upload")
@access.requires(access.ADMINISTRATIEF)
def index():
    contracten = access.contracten()
    return _pagina(_form(contracten), contracten)


@bp.post("/upload")
@access.requires(access.ADMINISTRATIEF)
def ontvangen():
    contracten = access.contracten()
    form = _form(contracten)
    if form.contract.data:
        access.get_contract(form.contract.data)  # a contract the user does not have: 404
    if not form.validate_on_submit():
        return _pagina(form, contracten, 422)
    contract = access.get_contract(form.contract.data)
    bestand = form.bestand.data
    try:
        with transaction():
            upload = uploads.ontvang_bestand(
                bestand.read(),
                bestand.filename or "bestand",
                contract,
                current_user,
                current_app.config["UPLOAD_MAX_REGELS"],
            )
            audit.record(
                "upload_ontvangen",
                "create",
                contract_nummer=contract.nummer,
                details={"upload": upload.opslag_naam, "regels": upload.totaal},
            )
    except OngeldigBestand as exc:
        form.bestand.errors.append(str(exc))
        with transaction():
            audit.record(
                "upload_ontvangen",
                "create",
                contract_nummer=contract.nummer,
                uitkomst="afgekeurd",
                details={"reden": str(exc)},
            )
        return _pagina(form, contracten, 422)
    # Queued after the commit: the worker must find the upload.
    _achtergrond().upload_controleren(upload.id)
    return redirect(url_for(".upload", token=upload.opslag_naam), code=303)


def _achtergrond():
    """The task queue, imported when an upload first needs it: huey (with the PostgreSQL driver
    it loads whenever that is installed) is 12 MB in every web worker, on every page."""
    from portal import tasks

    return tasks


def _upload(token: str) -> Upload:
    return uploads.zichtbaar(token, access.contract_ids()) or abort(404)


def _status_context(upload: Upload) -> dict:
    regels = []
    if upload.status == "gecontroleerd":
        # Only the lines with findings, in the database: a file of 10,000 good lines loads none.
        regels = db.session.scalars(
            select(UploadRegel)
            .where(UploadRegel.upload_id == upload.id, cast(UploadRegel.controle, String) != "[]")
            .order_by(UploadRegel.regelnummer)
            .limit(MAX_GETOOND)
        ).all()
    return {
        "upload": upload,
        "labels": STATUS_LABELS,
        "bezig": upload.status in BEZIG,
        "regels": regels,
        "kop_van_pad": KOP_VAN_PAD,
        "max_getoond": MAX_GETOOND,
        "knop": EmptyForm(),
    }


@bp.get("/upload/<token>")
@access.requires(access.ADMINISTRATIEF)
def upload(token: str):
    upload = _upload(token)
    return render_template("upload/upload.html", **_status_context(upload))


@bp.get("/upload/<token>/voortgang")
@access.requires(access.ADMINISTRATIEF)
def voortgang(token: str):
    upload = _upload(token)
    return htmx.render("upload/upload.html", "upload/_status.html", **_status_context(upload))


@bp.post("/upload/<token>/verwerken")
@access.requires(access.ADMINISTRATIEF)
def verwerken(token: str):
    upload = _upload(token)
    if not EmptyForm().validate_on_submit():
        abort(400)
    with transaction():
        gestart = uploads.start_verwerking(upload)
        if gestart:
            audit.record(
                "upload_verwerken",
                "create",
                contract_nummer=upload.contract.nummer,
                details={"upload": upload.opslag_naam, "regels": upload.totaal},
            )
    if gestart:  # after the commit: the worker must find the upload 'verwerken'
        _achtergrond().upload_verwerken(upload.id)
    return redirect(url_for(".upload", token=token), code=303)


@bp.post("/upload/<token>/annuleren")
@access.requires(access.ADMINISTRATIEF)
def annuleren(token: str):
    upload = _upload(token)
    if not EmptyForm().validate_on_submit():
        abort(400)
    with transaction():
        uploads.annuleer(upload)
    return redirect(url_for(".upload", token=token), code=303)


def _sjabloon_contract() -> Contract:
    nummer = request.args.get("contract")
    if nummer:
        return access.get_contract(nummer)
    contracten = access.contracten()
    if not contracten:
        abort(404)
    return contracten[0]


@bp.get("/upload/sjabloon.xlsx")
@access.requires(access.ADMINISTRATIEF)
def sjabloon_excel():
    contract = _sjabloon_contract()
    bestand = sjabloon_xlsx(vandaag(), contract.collectiviteitsnummer, contract.organisatie.kvk_nummer)
    return send_file(
        bestand, as_attachment=True, download_name="sjabloon-meldingen.xlsx", mimetype=exports.XLSX_MIMETYPE
    )


@bp.get("/upload/sjabloon.csv")
@access.requires(access.ADMINISTRATIEF)
def sjabloon_tekst():
    contract = _sjabloon_contract()
    inhoud = b"".join(
        sjabloon_csv(vandaag(), contract.collectiviteitsnummer, contract.organisatie.kvk_nummer)
    )
    response = Response(inhoud, mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = 'attachment; filename="sjabloon-meldingen.csv"'
    return response
