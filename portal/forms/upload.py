"""The form of Upload aan- en afmeldingen."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField


class UploadForm(FlaskForm):
    # The user's contracts are checked by the view (a foreign number answers 404).
    contract = SelectField("Contract", validate_choice=False)
    bestand = FileField(
        "Bestand met meldingen",
        validators=[FileRequired("Kies een bestand (.xlsx of .csv) met de meldingen.")],
    )
