"""Forms shared by several areas."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from flask_wtf import FlaskForm
from wtforms import Form, HiddenField, SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from portal.domain.fouten import Fout
from portal.domain.pagina import PER_PAGINA, STANDAARD_PER_PAGINA


class EmptyForm(FlaskForm):
    """A POST-only button: carries just the CSRF token."""


def strip(value):
    """A field filter: surrounding spaces are never part of what users mean."""
    return value.strip() if isinstance(value, str) else value


def choices(pairs) -> list:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def als_int(value, default: int) -> int:
    """A number from a query parameter, or ``default`` when it is none."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class MultiCheckboxField(SelectMultipleField):
    """A choice of several, as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class LijstForm(Form):
    """The GET form of a paged list (shareable URL, no CSRF needed): its page, its rows per page,
    and the list as query parameters for the links under it."""

    pagina = HiddenField(default="1")
    per_pagina = SelectField(
        "Resultaten per pagina",
        choices=choices((str(n), str(n)) for n in PER_PAGINA),
        default=str(STANDAARD_PER_PAGINA),
        validate_choice=False,
    )
    # Values a URL leaves out: what the list shows without them.
    STANDAARD = {"sorteer": "naam", "per_pagina": str(STANDAARD_PER_PAGINA), "pagina": "1"}

    def parameters(self) -> dict:
        """The list's values by query parameter name, in the URL's order."""
        raise NotImplementedError

    @property
    def pagina_getal(self) -> int:
        return als_int(self.pagina.data, 1)

    @property
    def per_pagina_getal(self) -> int:
        gekozen = als_int(self.per_pagina.data, STANDAARD_PER_PAGINA)
        return gekozen if gekozen in PER_PAGINA else STANDAARD_PER_PAGINA

    def url_params(self, **override) -> dict:
        """The list as query parameters, defaults and empty values left out; ``override``
        replaces values (None drops one)."""
        params = {k: None if v == self.STANDAARD.get(k) else v for k, v in self.parameters().items()}
        params.update(override)
        return {k: v for k, v in params.items() if v not in (None, "")}


class Geplaatst(NamedTuple):
    """Where ``zet_fouten`` put a refusal's errors."""

    # (anchor, message) for the error summary, in the order given: the field's id, or for an
    # error without a field here the place its path names.
    samenvatting: list[tuple[str, str]]
    # The errors that found no field (shown in the summary only).
    overig: list[Fout]


def zet_fouten(fouten, velden, anders=None) -> Geplaatst:
    """Put each domain error (``portal.domain.fouten.Fout``) on its field: ``velden`` is the form
    (its field of the error's name) or a function from the error's path to a field or None.
    An error without a field goes on ``anders`` when given, else to the summary only."""
    zoek: Callable = velden if callable(velden) else (lambda pad: velden[pad] if pad in velden else None)
    samenvatting, overig = [], []
    for fout in fouten:
        veld = zoek(fout.veld or "") or anders
        if veld is not None:
            veld.errors = [*(veld.errors or []), fout.bericht]
            samenvatting.append((veld.id, fout.bericht))
        else:
            samenvatting.append(((fout.veld or "inhoud").replace(".", "-"), fout.bericht))
            overig.append(fout)
    return Geplaatst(samenvatting, overig)
