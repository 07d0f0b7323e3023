"""The filter of Berichten."""

from __future__ import annotations

from wtforms import SelectField

from portal.forms import LijstForm, choices


class BerichtenFilter(LijstForm):
    """Contract, categorie and page (a GET form: shareable, no CSRF)."""

    contract = SelectField("Contract", validate_choice=False)
    categorie = SelectField("Categorie", validate_choice=False)

    def vul(self, contracten, categorieen) -> None:
        self.contract.choices = choices([("", "Alle contracten")] + [(c.nummer, c.label) for c in contracten])
        self.categorie.choices = choices([("", "Alle categorieën")] + [(c, c) for c in categorieen])
        if self.categorie.data not in categorieen:
            self.categorie.data = ""

    def parameters(self) -> dict:
        return {
            "contract": self.contract.data,
            "categorie": self.categorie.data,
            "pagina": self.pagina.data,
            "per_pagina": str(self.per_pagina_getal),
        }
