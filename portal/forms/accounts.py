"""Forms of Berichten, Accountbeheer and Account aanvragen. The rules themselves are in
``portal.domain.accounts``; these forms only read and keep what the user typed."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Regexp, ValidationError

from portal.domain.accounts import E_MAIL, E_MAIL_FOUT, Rechten
from portal.domain.rollen import Rol
from portal.forms import MultiCheckboxField, choices, strip

_ROL_KEUZES = [(rol.value, rol.label) for rol in Rol]


class RechtenForm(FlaskForm):
    """'Bewerken': tick the roles and the contracts, then 'Account bewerken'."""

    rollen = MultiCheckboxField("Rollen", choices=choices(_ROL_KEUZES), validate_choice=False)
    contracten = MultiCheckboxField("Contracten", validate_choice=False)

    def vul_contracten(self, contracten) -> None:
        self.contracten.choices = choices((str(c.id), c.label) for c in contracten)

    def rechten(self) -> Rechten:
        ids = frozenset(int(v) for v in self.contracten.data or [] if str(v).isdigit())
        return Rechten(frozenset(self.rollen.data or []), ids)


class AccountForm(RechtenForm):
    """A new account for a colleague."""

    naam = StringField("Naam", filters=[strip])
    email = StringField("E-mailadres", filters=[strip])
    pseudoniem = StringField("eHerkenning-identiteit", filters=[strip])


class AfwijzenForm(FlaskForm):
    reden = TextAreaField("Reden van de afwijzing", filters=[strip])


class AanvraagForm(FlaskForm):
    """'MijnZZ Zakelijk account aanvragen', after an eHerkenning login without account."""

    organisatie = StringField(
        "Naam van uw organisatie",
        filters=[strip],
        validators=[
            DataRequired(message="Vul de naam van uw organisatie in."),
            Length(max=200, message="De naam is te lang (maximaal 200 tekens)."),
        ],
    )
    naam = StringField(
        "Uw naam",
        filters=[strip],
        validators=[
            DataRequired(message="Vul uw naam in."),
            Length(max=200, message="Uw naam is te lang (maximaal 200 tekens)."),
        ],
    )
    email = StringField(
        "Uw e-mailadres",
        filters=[strip],
        validators=[
            DataRequired(message="Vul uw e-mailadres in."),
            Length(max=200),
            Regexp(E_MAIL, message=E_MAIL_FOUT),
        ],
    )
    rollen = MultiCheckboxField("Gewenste rollen", choices=choices(_ROL_KEUZES), validate_choice=False)
    contracten = StringField(
        "Gewenste contracten", filters=[strip], validators=[Length(max=500, message="Maximaal 500 tekens.")]
    )

    def validate_rollen(self, field) -> None:
        field.data = [r for r in field.data or [] if r in set(Rol)]
        if not field.data:
            raise ValidationError("Kies ten minste één rol.")
