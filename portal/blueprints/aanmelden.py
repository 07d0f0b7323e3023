"""Nieuwe deelnemer and Bijschrijven gezinsleden: the registration wizard and the polisblad.

Intro -> Gegevens cliënt -> Gezinsleden -> Verzekering en betaling -> Bevestiging (bijschrijven
starts at Gezinsleden). Each step is a GET page and a POST that stores what was typed in the
draft and redirects onward, so the back button shows the earlier step as it was filled in.
Nothing is registered until the last Aanmelden.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select, update

from portal.domain import aanmelden as regels
from portal.domain import premie
from portal.domain.dates import Venster, vandaag
from portal.domain.fouten import Afgekeurd, Fout
from portal.extensions import db
from portal.forms import EmptyForm, choices, zet_fouten
from portal.forms.aanmelden import BetalingForm, ClientForm, GezinsledenForm, StartForm, veld_in
from portal.models import AanmeldConcept, Deelname, Persoon, Polis
from portal.models.types import utcnow
from portal.transaction import transaction
from portal.web import aanmeld_concept, access, audit, htmx
from portal.web.htmx import is_htmx

bp = Blueprint("aanmelden", __name__)

NIEUW = [
    ("client", "Gegevens cliënt"),
    ("gezinsleden", "Gezinsleden"),
    ("verzekering", "Verzekering en betaling"),
    ("bevestiging", "Bevestiging"),
]
BIJSCHRIJVEN = NIEUW[1:]


def _naar(url: str):
    """On to another step: a redirect, or for an htmx-submitted step a full navigation (so each
    step is one history entry, and a rejected submit, swapped in place, adds none)."""
    if is_htmx():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, code=303)


def _stappen(concept: AanmeldConcept) -> list[tuple[str, str]]:
    return BIJSCHRIJVEN if concept.hoofd_deelname_id else NIEUW


def _render(
    template: str, concept, contract, huidig: str, status: int = 200, fragment: str | None = None, **context
):
    """A step's page, or ``fragment`` when an htmx request asks for part of it."""
    html = htmx.render(
        template,
        fragment or template,
        concept=concept,
        contract=contract,
        stappen=_stappen(concept),
        huidig=huidig,
        bijschrijven=bool(concept.hoofd_deelname_id),
        **context,
    )
    return make_response(html, status)


def _concept(token: str, stap: str):
    """The draft (404 if not this session's), or a redirect when it is finished or an earlier
    step still needs doing."""
    concept, contract = aanmeld_concept.laad(token)
    if concept.afgerond_op is not None:
        return concept, contract, _naar(url_for(".bevestiging", token=token))
    volgorde = [s for s, _ in _stappen(concept)]
    if stap not in volgorde:
        return concept, contract, _naar(url_for(f".{volgorde[0]}", token=token))
    for eerder in volgorde[: volgorde.index(stap)]:
        if not aanmeld_concept.heeft_voltooid(concept, eerder):
            return concept, contract, _naar(url_for(f".{eerder}", token=token))
    return concept, contract, None


def _stap_van(pad: str, bijschrijven: bool) -> str:
    """The step whose page holds the field at ``pad``."""
    if pad.startswith("hoofd.") and not pad.endswith(".producten"):
        return "client"
    if pad.startswith("leden") and not pad.endswith(".producten"):
        return "gezinsleden"
    if pad == "ingangsdatum":
        return "gezinsleden" if bijschrijven else "client"
    return "verzekering"


# -- intro ------------------------------------------------------------------------------------


@bp.route("/nieuwe-deelnemer", methods=["GET", "POST"])
@access.requires(access.ADMINISTRATIEF)
def start():
    """Aanmelden deelname collectiviteit en/of verzekering: the intro and the contract choice."""
    contracten = access.contracten()
    form = StartForm()
    form.contract.choices = choices((c.nummer, c.label) for c in contracten)
    if form.validate_on_submit():
        contract = access.get_contract(form.contract.data or "")
        concept = aanmeld_concept.nieuw(contract)
        return redirect(url_for(".client", token=concept.token), code=303)
    return render_template("aanmelden/start.html", form=form, contracten=contracten)


@bp.route("/deelnemers/<relatienummer>/bijschrijven/<contract>", methods=["GET", "POST"])
@access.requires(access.ADMINISTRATIEF)
def bijschrijven(relatienummer: str, contract: str):
    """Bijschrijven gezinsleden of a hoofdverzekerde: the intro, then the wizard from Gezinsleden."""
    gekozen = access.get_contract(contract)
    g.context_contract = gekozen.nummer
    g.context_relatienummer = relatienummer
    deelname = db.session.scalars(
        select(Deelname)
        .join(Persoon, Persoon.id == Deelname.persoon_id)
        .where(Persoon.relatienummer == relatienummer, Deelname.contract_id == gekozen.id)
        .order_by(Deelname.einddatum.is_(None).desc(), Deelname.ingangsdatum.desc())
    ).first()
    if deelname is None:
        abort(404)
    hoofd = deelname.hoofd_deelname if deelname.rol != regels.HOOFD and deelname.hoofd_deelname else deelname
    form = EmptyForm()
    actief = hoofd.einddatum is None and hoofd.rol == regels.HOOFD
    if actief and form.validate_on_submit():
        concept = aanmeld_concept.nieuw(gekozen, hoofd)
        return redirect(url_for(".gezinsleden", token=concept.token), code=303)
    return render_template(
        "aanmelden/bijschrijven.html", form=form, hoofd=hoofd, contract=gekozen, actief=actief
    )


# -- step: the client --------------------------------------------------------------------------


@bp.route("/nieuwe-deelnemer/<token>/client", methods=["GET", "POST"])
@access.requires(access.ADMINISTRATIEF)
def client(token: str):
    concept, contract, verder = _concept(token, "client")
    if verder:
        return verder
    h = aanmeld_concept.huishouden(concept, contract)
    if request.method == "GET":
        form = ClientForm(data={**h.hoofd.als_dict(), "ingangsdatum": h.ingangsdatum})
        return _render("aanmelden/client.html", concept, contract, "client", form=form, fouten=[])
    form = ClientForm()
    hoofd = form.gegevens(producten=h.hoofd.producten)
    aanmeld_concept.bewaar(concept, hoofd=hoofd.als_dict(), ingangsdatum=form.ingangsdatum.data or "")
    h.hoofd, h.ingangsdatum, h.leden = hoofd, form.ingangsdatum.data or "", []
    fouten = regels.controleer_personen(h, vandaag(), _venster())
    if fouten:
        samenvatting = zet_fouten(fouten, lambda pad: veld_in(form, pad, "hoofd.")).samenvatting
        return _render(
            "aanmelden/client.html", concept, contract, "client", 422, form=form, fouten=samenvatting
        )
    aanmeld_concept.voltooi_stap(concept, "client")
    return _naar(url_for(".gezinsleden", token=token))


# -- step: gezinsleden ---------------------------------------------------------------------------


@bp.route("/nieuwe-deelnemer/<token>/gezinsleden", methods=["GET", "POST"])
@access.requires(access.ADMINISTRATIEF)
def gezinsleden(token: str):
    """Partner and kinderen; 'Partner toevoegen', 'Kind toevoegen' and 'Verwijderen' redraw the
    rows (an htmx swap, or the whole page without JavaScript)."""
    concept, contract, verder = _concept(token, "gezinsleden")
    if verder:
        return verder
    h = aanmeld_concept.huishouden(concept, contract)
    context = {
        "hoofd_naam": _hoofd_naam(h),
        "hoofd_relatienummer": h.bestaand_hoofd.persoon.relatienummer if h.bestaand_hoofd else None,
        "focus": None,
        "status_melding": None,
    }
    if request.method == "GET":
        form = GezinsledenForm(
            data={"leden": [lid.als_dict() for lid in h.leden], "ingangsdatum": h.ingangsdatum}
        )
        return _render(
            "aanmelden/gezinsleden.html", concept, contract, "gezinsleden", form=form, fouten=[], **context
        )
    form = GezinsledenForm()
    leden = form.gegevens(h.leden)
    actie = request.values.get("actie", "")
    melding = _wijzig_rijen(leden, actie)
    wijzigingen = {"leden": [lid.als_dict() for lid in leden]}
    if h.bestaand_hoofd is not None:
        wijzigingen["ingangsdatum"] = form.ingangsdatum.data or ""
    aanmeld_concept.bewaar(concept, **wijzigingen)
    if melding is not None:
        form = GezinsledenForm(formdata=None, data={**wijzigingen, "ingangsdatum": form.ingangsdatum.data})
        context.update(fouten=[], status_melding=melding, focus=_focus(actie, len(leden)))
        return _render(
            "aanmelden/gezinsleden.html",
            concept,
            contract,
            "gezinsleden",
            fragment="aanmelden/_gezinsleden.html",
            form=form,
            **context,
        )
    h.leden, h.ingangsdatum = leden, wijzigingen.get("ingangsdatum", h.ingangsdatum)
    fouten = regels.controleer_personen(h, vandaag(), _venster(), leden_verplicht=True)
    if fouten:
        context["fouten"] = _samenvatting(fouten, lambda pad: veld_in(form, pad), concept, "gezinsleden")
        return _render(
            "aanmelden/gezinsleden.html", concept, contract, "gezinsleden", 422, form=form, **context
        )
    aanmeld_concept.voltooi_stap(concept, "gezinsleden")
    return _naar(url_for(".verzekering", token=token))


def _venster() -> Venster:
    """The ingangsdatum's window from the app's settings (the domain does not read them)."""
    return Venster.uit_settings(current_app.config, "AANMELDING")


def _hoofd_naam(h: regels.Huishouden) -> str:
    return h.bestaand_hoofd.persoon.volledige_naam if h.bestaand_hoofd else h.hoofd.naam


def _wijzig_rijen(leden: list[regels.PersoonGegevens], actie: str) -> str | None:
    """Apply 'partner', 'kind' or 'verwijder-<n>'; the status message, or None for Aanmelden."""
    if actie in (regels.PARTNER, regels.KIND):
        leden.append(regels.PersoonGegevens(rol=actie, nationaliteit="Nederlandse"))
        return f"{'Partner' if actie == regels.PARTNER else 'Kind'} toegevoegd als gezinslid {len(leden)}."
    if actie.startswith("verwijder-") and actie[10:].isdigit() and int(actie[10:]) < len(leden):
        weg = leden.pop(int(actie[10:]))
        return f"Gezinslid {weg.naam or int(actie[10:]) + 1} verwijderd."
    return None


def _focus(actie: str, aantal: int) -> str:
    """The element that takes focus after the rows are redrawn."""
    if actie in (regels.PARTNER, regels.KIND):
        return f"leden-{aantal - 1}-bsn"
    return "gezinsleden-kop"


def _samenvatting(fouten, zoek, concept, stap: str) -> list[tuple[str, str]]:
    """Errors on this page go on their fields (``zoek(pad)``); errors of an earlier step link to
    that step."""
    bijschrijven = bool(concept.hoofd_deelname_id)
    hier = [f for f in fouten if _stap_van(f.veld or "", bijschrijven) == stap]
    elders = [f for f in fouten if f not in hier]
    samenvatting = zet_fouten(hier, zoek).samenvatting
    for fout in elders:
        andere = _stap_van(fout.veld or "", bijschrijven)
        samenvatting.append((url_for(f".{andere}", token=concept.token), fout.bericht))
    return samenvatting


# -- step: verzekering en betaling ------------------------------------------------------------------


def _keuzes(h: regels.Huishouden) -> dict:
    """What each person may choose: the contract's products with their premium in the year of the
    ingangsdatum, grouped as the form shows them."""
    aanbod = premie.aanbod(h.contract.id, h.begin.year)
    basis = [p for p in aanbod if p.product.soort == "basis"]
    groepen: dict[str, list] = {}
    los = []
    for p in aanbod:
        if p.product.soort == "aanvullend":
            (groepen.setdefault(p.product.groep, []) if p.product.groep else los).append(p)
    return {"basis": basis, "groepen": groepen, "los": los}


def _lees_producten(pad: str, keuzes: dict) -> tuple[str, list[str]]:
    """The typed choice of one person: 'collectiviteit' or 'verzekering' and the product codes."""
    sleutel = pad.replace(".", "-")
    keuze = request.form.get(f"keuze-{sleutel}", "")
    if keuze != "verzekering":
        return keuze, []
    basis = request.form.get(f"basis-{sleutel}", "")
    if not basis and len(keuzes["basis"]) == 1:
        basis = keuzes["basis"][0].product.code
    producten = [basis]
    for groep in keuzes["groepen"]:
        code = request.form.get(f"groep-{sleutel}-{groep}", "")
        if code:
            producten.append(code)
    producten += request.form.getlist(f"los-{sleutel}")
    return keuze, producten


@bp.route("/nieuwe-deelnemer/<token>/verzekering", methods=["GET", "POST"])
@access.requires(access.ADMINISTRATIEF)
def verzekering(token: str):
    """For each person 'alleen collectiviteit' or a verzekering, then the betalingswijze; the
    last Aanmelden registers everyone together."""
    concept, contract, verder = _concept(token, "verzekering")
    if verder:
        return verder
    h = aanmeld_concept.huishouden(concept, contract)
    keuzes = _keuzes(h)
    gekozen = concept.gegevens.get("keuzes", {})
    if request.method == "GET":
        form = BetalingForm(data=concept.gegevens.get("betaling") or {})
        form.vul_wijzen(contract)
        return _render(
            "aanmelden/verzekering.html",
            concept,
            contract,
            "verzekering",
            form=form,
            h=h,
            keuzes=keuzes,
            gekozen=gekozen,
            fouten=[],
            veldfouten={},
        )
    form = BetalingForm()
    form.vul_wijzen(contract)
    gekozen = {}
    for pad, p in h.personen:
        gekozen[pad], p.producten = _lees_producten(pad, keuzes)
    h.betaling = form.gegevens()
    aanmeld_concept.bewaar(
        concept,
        keuzes=gekozen,
        betaling=h.betaling.__dict__,
        hoofd=h.hoofd.als_dict() if h.hoofd else None,
        leden=[lid.als_dict() for lid in h.leden],
    )
    # A form-only rule: the API and uploads send the product codes themselves.
    keuze_fouten = [
        Fout(
            "keuze_verplicht",
            f"Kies voor {p.naam}: alleen collectiviteit of een verzekering.",
            f"{pad}.producten",
        )
        for pad, p in h.personen
        if gekozen[pad] not in ("collectiviteit", "verzekering")
    ]
    if keuze_fouten:
        fouten = regels.controleer(h, vandaag(), _venster()) + keuze_fouten  # every error at once
    else:
        try:
            _registreer(concept, h)  # registreer checks every rule itself
        except Afgekeurd as afgekeurd:
            fouten = afgekeurd.fouten
        else:
            return _naar(url_for(".bevestiging", token=token))
    with transaction():
        audit.record(
            "deelnemer_aanmelden",
            "create",
            contract_nummer=contract.nummer,
            uitkomst="afgekeurd",
            details={"fouten": sorted({f.code for f in fouten})},
        )
    return _render(
        "aanmelden/verzekering.html",
        concept,
        contract,
        "verzekering",
        422,
        form=form,
        h=h,
        keuzes=keuzes,
        gekozen=gekozen,
        fouten=_samenvatting(fouten, lambda pad: veld_in(form, pad, "betaling."), concept, "verzekering"),
        veldfouten=_veldfouten(fouten),
    )


def _veldfouten(fouten) -> dict[str, list[str]]:
    """Errors on a person's product choice, by the person's path (the fieldsets are hand-made)."""
    per_pad: dict[str, list[str]] = {}
    for fout in fouten:
        if (fout.veld or "").endswith(".producten"):
            per_pad.setdefault(fout.veld.rsplit(".", 1)[0], []).append(fout.bericht)
    return per_pad


def _registreer(concept: AanmeldConcept, h: regels.Huishouden) -> None:
    """Register, close the draft and audit in one transaction (``Afgekeurd`` leaves the draft
    open); nothing happens when another request closed it first (that one registered)."""
    with transaction():
        gesloten = db.session.execute(
            update(AanmeldConcept)
            .where(AanmeldConcept.id == concept.id, AanmeldConcept.afgerond_op.is_(None))
            .values(afgerond_op=utcnow())
            .execution_options(synchronize_session=False)
        )
        if gesloten.rowcount != 1:
            return
        uitkomst = regels.registreer(
            h, vandaag=vandaag(), bron=f"portal:{current_user.id}", venster=_venster()
        )
        concept.uitkomst = {
            "relatienummers": [d.persoon.relatienummer for d in uitkomst.deelnames],
            "polisnummers": [p.polisnummer for p in uitkomst.polissen],
            "gekoppeld": [p.polisnummer for p in uitkomst.gekoppelde_polissen],
        }
        # The typed data has done its work; the draft keeps only the numbers for the confirmation.
        concept.gegevens = {"voltooid": concept.gegevens.get("voltooid", []), "ingangsdatum": h.ingangsdatum}
        audit.record(
            "deelnemer_aanmelden",
            "create",
            contract_nummer=h.contract.nummer,
            relatienummers=concept.uitkomst["relatienummers"],
            details={
                "polisnummers": concept.uitkomst["polisnummers"],
                "bijschrijven": h.bestaand_hoofd is not None,
            },
        )


# -- the confirmation and the polisblad ---------------------------------------------------------------


@bp.get("/nieuwe-deelnemer/<token>/bevestiging")
@access.requires(access.ADMINISTRATIEF)
def bevestiging(token: str):
    concept, contract = aanmeld_concept.laad(token)
    if concept.afgerond_op is None or not concept.uitkomst:
        return redirect(url_for(".verzekering", token=token), code=303)
    deelnames = db.session.scalars(
        select(Deelname)
        .join(Persoon, Persoon.id == Deelname.persoon_id)
        .where(
            Persoon.relatienummer.in_(concept.uitkomst["relatienummers"]),
            Deelname.contract_id == contract.id,
            Deelname.einddatum.is_(None),
        )
        .order_by(Deelname.id)
    ).all()
    polissen = {
        p.persoon_id: p
        for p in db.session.scalars(
            select(Polis).where(
                Polis.polisnummer.in_(
                    concept.uitkomst["polisnummers"] + concept.uitkomst.get("gekoppeld", [])
                )
            )
        )
    }
    premies = {p.id: premie.van_polis(p) for p in polissen.values()}
    return _render(
        "aanmelden/bevestiging.html",
        concept,
        contract,
        "bevestiging",
        deelnames=deelnames,
        polissen=polissen,
        premies=premies,
        nieuw=set(concept.uitkomst["polisnummers"]),
    )


@bp.get("/polisbladen/<polisnummer>.pdf")
@access.requires(access.ADMINISTRATIEF)
def polisblad_pdf(polisnummer: str):
    """The polisblad of a polis in one of the user's contracts."""
    polis = db.session.scalar(select(Polis).where(Polis.polisnummer == polisnummer))
    if polis is None or polis.contract_id not in access.contract_ids():
        abort(404)
    deelname = db.session.scalars(
        select(Deelname)
        .where(Deelname.persoon_id == polis.persoon_id, Deelname.contract_id == polis.contract_id)
        .order_by(Deelname.einddatum.is_(None).desc(), Deelname.ingangsdatum.desc())
    ).first()
    # Imported here, as the factuur is: the PDF library (fpdf with PIL and fontTools) costs each
    # worker some 20 MB, and only this download needs it.
    from portal.documents import polisblad

    inhoud = polisblad.maak(polis, deelname, vandaag())
    with transaction():
        audit.record(
            "polisblad_downloaden",
            "export",
            relatienummers=[polis.persoon.relatienummer],
            contract_nummer=deelname.contract.nummer if deelname else None,
            details={"polisnummer": polisnummer},
        )
    response = make_response(inhoud)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="polisblad-{polisnummer}.pdf"'
    return response
