"""Test data factories: small, explicit builders for the models."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

from portal.demo.people import bsn_generator
from portal.domain.dates import vandaag
from portal.extensions import db
from portal.models import (
    Contract,
    ContractProduct,
    Deelname,
    Gebruiker,
    Organisatie,
    Persoon,
    Product,
    ProductTarief,
)

_bsns = bsn_generator("9998")
_relatienummers = itertools.count(20_000_001)
_kvks = itertools.count(30_000_001)
_contracten = itertools.count(50_001)
_pseudoniemen = itertools.count(1)


def organisatie(**kw) -> Organisatie:
    """An organisatie with a fresh KvK-nummer."""
    values = {"naam": "Gemeente Teststad", "kvk_nummer": str(next(_kvks)), "soort": "gemeente"}
    values.update(kw)
    org = Organisatie(**values)
    db.session.add(org)
    db.session.flush()
    return org


def contract(org: Organisatie | None = None, **kw) -> Contract:
    """A contract of ``org`` (a new organisatie when omitted)."""
    org = org or organisatie()
    nummer = str(next(_contracten))
    values = {
        "nummer": nummer,
        "naam": f"Contract {nummer}",
        "soort": org.soort,
        "organisatie": org,
        "ingangsdatum": date(2014, 1, 1),
        "collectiviteitsnummer": nummer,
    }
    values.update(kw)
    c = Contract(**values)
    db.session.add(c)
    db.session.flush()
    return c


def product(code: str = "BASIS", soort: str = "basis", premie: str = "120.00", jaar: int = 2026) -> Product:
    """A product with a tariff for one year."""
    p = Product(code=code, naam=f"Product {code}", soort=soort)
    p.tarieven.append(ProductTarief(jaar=jaar, maandpremie=Decimal(premie)))
    db.session.add(p)
    db.session.flush()
    return p


def tarief(p: Product, jaar: int, premie: str) -> ProductTarief:
    """Another year's tariff of a product."""
    t = ProductTarief(product=p, jaar=jaar, maandpremie=Decimal(premie))
    db.session.add(t)
    db.session.flush()
    return t


def aanbod(c: Contract, p: Product, korting: str = "10.00") -> ContractProduct:
    """Offer a product in a contract with a collective discount."""
    cp = ContractProduct(contract=c, product=p, korting_percentage=Decimal(korting))
    db.session.add(cp)
    db.session.flush()
    return cp


def persoon(**kw) -> Persoon:
    """A person with a valid test BSN and a fresh relatienummer."""
    values = {
        "bsn": next(_bsns),
        "relatienummer": str(next(_relatienummers)),
        "voorletters": "J.",
        "voorvoegsel": None,
        "achternaam": "Jansen",
        "geslacht": "M",
        "geboortedatum": date(1970, 5, 1),
        "nationaliteit": "Nederlands",
    }
    values.update(kw)
    p = Persoon(**values)
    db.session.add(p)
    db.session.flush()
    return p


def deelname(p: Persoon, c: Contract, **kw) -> Deelname:
    """A deelname of person ``p`` in contract ``c``."""
    values = {"persoon": p, "contract_id": c.id, "ingangsdatum": date(2020, 1, 1)}
    values.update(kw)
    d = Deelname(**values)
    db.session.add(d)
    db.session.flush()
    return d


def gebruiker(org: Organisatie, rollen=("administratief",), contracten=(), **kw) -> Gebruiker:
    """A portal account with roles and contracts; its pseudonym is unique."""
    values = {
        "organisatie": org,
        "naam": "Test Gebruiker",
        "email": "test@example.org",
        "kvk_nummer": org.kvk_nummer,
        "pseudoniem": f"test-pseudo-{next(_pseudoniemen)}",
        "is_administratief": "administratief" in rollen,
        "is_financieel": "financieel" in rollen,
        "is_accountbeheerder": "accountbeheer" in rollen,
        "contracten": list(contracten),
    }
    values.update(kw)
    g = Gebruiker(**values)
    db.session.add(g)
    db.session.flush()
    return g


def api_aanmelding(org: Organisatie, c: Contract, melding_id: str, **persoon) -> dict:
    """The JSON of an API aanmelding for ``c`` of ``org``, starting two days ago; ``persoon``
    overrides fields of the person."""
    return {
        "melding_id": melding_id,
        "soort": "aanmelding",
        "kvk_nummer": org.kvk_nummer,
        "collectiviteitsnummer": c.collectiviteitsnummer,
        "persoon": {
            "bsn": "999990019",
            "voorletters": "A.",
            "achternaam": "Api",
            "geslacht": "M",
            "geboortedatum": "1990-01-01",
            "nationaliteit": "Pools",
            "adres": {"straat": "Weg", "huisnummer": "1", "postcode": "1234 AB", "woonplaats": "Delft"},
            **persoon,
        },
        "ingangsdatum": (vandaag() - timedelta(days=2)).isoformat(),
    }
