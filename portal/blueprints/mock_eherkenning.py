"""A mock eHerkenning identity provider, registered only when MOCK_EHERKENNING_ENABLED is on.

It behaves like the real flow: choose a leverancier, log in with a middel of a fixed level,
and return to the portal with a signed, short-lived assertion bound to the login's state.
"""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Optional, Regexp, ValidationError

from portal.demo.identities import DEMO_IDENTITEITEN, LEVERANCIERS
from portal.forms import choices
from portal.web.access import public
from portal.web.eherkenning import NIVEAUS, Identiteit, MockBroker

bp = Blueprint("mock_eherkenning", __name__, url_prefix="/mock-eherkenning")

EIGEN = "eigen"


class MiddelForm(FlaskForm):
    """Pick a demo middel, or describe another one."""

    state = HiddenField(validators=[DataRequired()])
    audience = HiddenField(validators=[DataRequired()])
    leverancier = HiddenField(validators=[DataRequired()])
    middel = RadioField(
        "Middel",
        choices=choices(
            [(i.sleutel, f"{i.naam} — {NIVEAUS[i.niveau]} ({i.toelichting})") for i in DEMO_IDENTITEITEN]
            + [(EIGEN, "Een ander middel")]
        ),
        validators=[DataRequired(message="Kies een middel.")],
    )
    kvk_nummer = StringField(
        "KvK-nummer",
        validators=[Optional(), Regexp(r"^\d{8}$", message="Een KvK-nummer heeft 8 cijfers.")],
    )
    pseudoniem = StringField("Pseudoniem (ActingSubjectID)", validators=[Optional()])
    niveau = SelectField("Betrouwbaarheidsniveau", choices=choices(NIVEAUS.items()))

    def validate_pseudoniem(self, field):
        """The own-middel fields are needed only when that option is chosen."""
        if self.middel.data == EIGEN and (not field.data or not self.kvk_nummer.data):
            raise ValidationError("Vul KvK-nummer en pseudoniem in voor een ander middel.")


@bp.get("/")
@public
def leverancier():
    """Step 1: choose your eHerkenning leverancier."""
    return render_template(
        "mock_eherkenning/leverancier.html",
        leveranciers=LEVERANCIERS,
        state=request.args.get("state", ""),
        audience=request.args.get("audience", ""),
    )


@bp.route("/middel", methods=["GET", "POST"])
@public
def middel():
    """Step 2: log in with a middel; on success, return to the portal with an assertion."""
    form = MiddelForm(request.form if request.method == "POST" else request.args)
    if request.method == "GET":
        form.middel.data = form.middel.data or DEMO_IDENTITEITEN[0].sleutel
        return render_template("mock_eherkenning/middel.html", form=form)
    if not form.validate():
        return render_template("mock_eherkenning/middel.html", form=form), 422
    if form.middel.data == EIGEN:
        identiteit = Identiteit(form.kvk_nummer.data, form.pseudoniem.data.strip(), form.niveau.data)
    else:
        demo = next(i for i in DEMO_IDENTITEITEN if i.sleutel == form.middel.data)
        identiteit = Identiteit(demo.kvk_nummer, demo.pseudoniem, demo.niveau, demo.vestigingsnummer)
    assertion = MockBroker().issue(identiteit, form.state.data, form.audience.data)
    current_app.logger.debug("mock eHerkenning: assertion issued")
    return redirect(url_for("auth.assertion_consumer", assertion=assertion))
