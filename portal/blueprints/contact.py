"""Contact: ask a question, with the page the user was looking at as context."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from portal.domain import contact as contact_domain
from portal.extensions import db
from portal.forms.contact import ContactForm
from portal.models import ContactVraag
from portal.transaction import transaction
from portal.web import access, audit

bp = Blueprint("contact", __name__)


@bp.route("/contact", methods=["GET", "POST"])
@access.requires(*access.ELKE_ROL)
def index():
    """The question form (context filled in from the link) and the user's own questions."""
    form = ContactForm()
    if request.method == "GET":
        form.fill_context(request.args)
    if form.validate_on_submit():
        with transaction():
            vraag = contact_domain.stel_vraag(
                current_user,
                onderwerp=form.onderwerp.data,
                vraag=form.vraag.data,
                pagina=form.pagina.data,
                contract_nummer=form.contract.data,
                relatienummer=form.relatienummer.data,
            )
            db.session.flush()  # the question's id, for the audit record
            audit.record(
                "contactvraag_gesteld",
                "create",
                relatienummers=[form.relatienummer.data] if form.relatienummer.data else [],
                contract_nummer=form.contract.data or None,
                details={"contactvraag": vraag.id},
            )
        flash("Uw vraag is verstuurd. U krijgt binnen twee werkdagen antwoord.", "succes")
        return redirect(url_for("contact.index"))
    vragen = db.session.scalars(
        select(ContactVraag)
        .where(ContactVraag.gebruiker_id == current_user.id)
        .order_by(ContactVraag.created_at.desc())
    ).all()
    status = 422 if form.errors else 200
    return render_template("contact/index.html", form=form, vragen=vragen), status
