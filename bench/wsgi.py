"""The portal on the bench database for gunicorn, plus the reference page of the search
benchmark: the same results fragment with 25 fixed rows, no login and no database.

    BENCH_DATABASE_URL=sqlite:///bench/data/bench.sqlite gunicorn -w 2 'bench.wsgi:create()'
"""

from __future__ import annotations

import os
from collections import namedtuple
from datetime import date

from flask import render_template

from bench.common import bench_app
from portal.blueprints.deelnemers import zoeklinks
from portal.domain.zoeken import Resultaat
from portal.forms.deelnemers import ZoekForm
from portal.web import access

Rij = namedtuple(
    "Rij",
    "contract relatienummer voorletters voorvoegsel achternaam bsn "
    "geboortedatum geslacht ingangsdatum einddatum rol",
)
VASTE_RIJEN = [
    Rij(
        "100000",
        str(10_000_000 + i),
        "A.J.",
        "van der" if i % 3 == 0 else None,
        f"Janssen{i:02d}",
        f"99{i:07d}",
        date(1960, 1 + i % 12, 1 + i % 28),
        "MV"[i % 2],
        date(2015, 1 + i % 12, 1),
        None,
        "hoofdverzekerde",
    )
    for i in range(25)
]


def create():
    app = bench_app(os.environ.get("BENCH_DATABASE_URL", "sqlite:///bench/data/bench.sqlite"))

    @app.get("/bench/vast")
    def vast():
        form = ZoekForm()
        resultaat = Resultaat(rijen=VASTE_RIJEN, aantal=2967, pagina=1, per_pagina=25)
        return render_template(
            "deelnemers/_resultaten.html",
            fragment=True,
            form=form,
            contract=None,
            resultaat=resultaat,
            met_bsn=False,
            links=zoeklinks(form, resultaat),
        )

    access.PUBLIC_ENDPOINTS.add("vast")
    return app
