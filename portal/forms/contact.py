"""The contact form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from portal.web import access


class ContactForm(FlaskForm):
    """Onderwerp and vraag; the context travels in hidden fields and is checked on the server."""

    onderwerp = StringField(
        "Onderwerp",
        validators=[
            DataRequired(message="Vul een onderwerp in."),
            Length(max=200, message="Het onderwerp is te lang (maximaal 200 tekens)."),
        ],
    )
    vraag = TextAreaField(
        "Uw vraag",
        validators=[
            DataRequired(message="Vul uw vraag in."),
            Length(max=5000, message="Uw vraag is te lang (maximaal 5000 tekens)."),
        ],
    )
    pagina = HiddenField(
        validators=[Optional(), Length(max=200), Regexp(r"^/[\w\-/]*$", message="Ongeldige pagina.")]
    )
    contract = HiddenField(validators=[Optional(), Regexp(r"^\d{1,20}$")])
    relatienummer = HiddenField(validators=[Optional(), Regexp(r"^\d{1,12}$")])

    def fill_context(self, args) -> None:
        """Take the context from the 'Stel een vraag' link."""
        self.pagina.data = args.get("pagina", "")[:200]
        self.contract.data = args.get("contract", "")[:20]
        self.relatienummer.data = args.get("relatienummer", "")[:12]
        if not self.onderwerp.data and args.get("onderwerp"):
            self.onderwerp.data = args["onderwerp"][:200]
        if not self.onderwerp.data and self.pagina.data:
            self.onderwerp.data = f"Vraag over pagina {self.pagina.data}"

    def validate_contract(self, field) -> None:
        """A contract the user does not have is dropped silently (no hint that it exists)."""
        if field.data and field.data not in {c.nummer for c in access.contracten()}:
            field.data = ""
