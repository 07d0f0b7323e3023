"""The filter of Berichten."""

from __future__ import annotations

from wtforms import Form, HiddenField, SelectField

from portal.domain import zoeken
from portal.forms import als_int, choices


class BerichtenFilter(Form):
    """Contract, categorie and page (a GET form: shareable, no CSRF)."""

    contract = SelectField("Contract", validate_choice=False)
    categorie = SelectField("Categorie", validate_choice=False)
    pagina = HiddenField(default="1")
    per_pagina = SelectField("Resultaten per pagina",
                             choices=choices((str(n), str(n)) for n in zoeken.PER_PAGINA),
                             default=str(zoeken.STANDAARD_PER_PAGINA), validate_choice=False)

    def vul(self, contracten, categorieen) -> None:
        self.contract.choices = choices([("", "Alle contracten")] + [(c.nummer, c.label) for c in contracten])
        self.categorie.choices = choices([("", "Alle categorieën")] + [(c, c) for c in categorieen])
        if self.categorie.data not in categorieen:
            self.categorie.data = ""

    @property
    def per_pagina_getal(self) -> int:
        gekozen = als_int(self.per_pagina.data, zoeken.STANDAARD_PER_PAGINA)
        return gekozen if gekozen in zoeken.PER_PAGINA else zoeken.STANDAARD_PER_PAGINA

    def url_params(self, **override) -> dict:
        params = {"contract": self.contract.data or None, "categorie": self.categorie.data or None,
                  "pagina": self.pagina.data if self.pagina.data not in (None, "", "1") else None,
                  "per_pagina": None if self.per_pagina_getal == zoeken.STANDAARD_PER_PAGINA
                  else str(self.per_pagina_getal)}
        params.update(override)
        return {k: v for k, v in params.items() if v is not None}
