"""The demo data set: three contracts with history back to 2014, accounts for every role.

Idempotent: a second run finds the demo organisations and changes nothing.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import insert, select

from portal.demo import people
from portal.demo.identities import (
    DEMO_IDENTITEITEN,
    KVK_FLEXWERK,
    KVK_LEIDEN,
    KVK_NIEUWKOOP,
)
from portal.domain import berichten, credentials
from portal.domain.rollen import zet_rollen
from portal.extensions import db
from portal.models import (
    Contactpersoon,
    Contract,
    ContractProduct,
    Deelname,
    Gebruiker,
    Organisatie,
    Persoon,
    Polis,
    PolisProduct,
    Product,
    ProductTarief,
)

START = date(2014, 1, 1)
API_GEBRUIKERSNAAM = "flexwerk-demo"
API_WACHTWOORD = "flexwerk-demo-wachtwoord"  # a published demo credential

PRODUCTEN = [
    ("BASIS", "Basisverzekering Zeker", "basis", Decimal("105.00"), Decimal("3.80")),
    ("AV-GOED", "Aanvullend Goed", "aanvullend", Decimal("12.50"), Decimal("0.60")),
    ("AV-BETER", "Aanvullend Beter", "aanvullend", Decimal("27.00"), Decimal("1.10")),
    ("AV-BEST", "Aanvullend Best", "aanvullend", Decimal("46.00"), Decimal("1.70")),
    ("TAND-250", "Tand 250", "aanvullend", Decimal("15.75"), Decimal("0.50")),
]

CONTRACTEN = [
    # nummer, naam, soort, kvk, organisatie, deelnemers now, ended, migrant share, plaats
    ("12345", "Gemeente Leiden", "gemeente", KVK_LEIDEN, "Gemeente Leiden", 3000, 1300, 0.05, "Leiden"),
    (
        "12346",
        "Gemeente Nieuwkoop",
        "gemeente",
        KVK_NIEUWKOOP,
        "Gemeente Nieuwkoop",
        430,
        260,
        0.03,
        "Nieuwkoop",
    ),
    (
        "23595",
        "Flexwerk Uitzendbureau",
        "werkgever",
        KVK_FLEXWERK,
        "Flexwerk Uitzendbureau B.V.",
        500,
        1400,
        0.95,
        "Westland",
    ),
]


def load(today: date | None = None, seed: int = 12345) -> bool:
    """Create the demo data set; returns False when it was already there."""
    if db.session.scalar(select(Organisatie).where(Organisatie.kvk_nummer == KVK_LEIDEN)):
        return False
    today = today or date.today()
    rng = random.Random(seed)
    producten = _producten(today)
    bsns = people.bsn_generator("9999")
    relatienummers = iter(range(10_000_001, 99_999_999))
    contracten = {}
    for spec in CONTRACTEN:
        contracten[spec[0]] = _contract(spec, producten, rng, bsns, relatienummers, today)
    _accounts(contracten, today)
    flexwerk = contracten["23595"].organisatie
    credentials.issue(flexwerk, API_GEBRUIKERSNAAM, API_WACHTWOORD)
    db.session.commit()
    return True


def _producten(today: date) -> dict[str, Product]:
    producten = {}
    for code, naam, soort, basis, stijging in PRODUCTEN:
        product = Product(code=code, naam=naam, soort=soort, groep="AV" if code.startswith("AV-") else None)
        for jaar in range(START.year, today.year + 2):
            product.tarieven.append(
                ProductTarief(jaar=jaar, maandpremie=basis + stijging * (jaar - START.year))
            )
        db.session.add(product)
        producten[code] = product
    db.session.flush()
    return producten


def _contract(spec, producten, rng, bsns, relatienummers, today) -> Contract:
    nummer, naam, soort, kvk, org_naam, actief, beeindigd, migrant_share, plaats = spec
    organisatie = Organisatie(naam=org_naam, kvk_nummer=kvk, soort=soort)
    contract = Contract(
        nummer=nummer,
        naam=naam,
        soort=soort,
        organisatie=organisatie,
        ingangsdatum=START,
        collectiviteitsnummer=nummer,
        aanleveren_vanaf=date(2019, 1, 1) if soort == "werkgever" else None,
        betalingswijzen=(
            "automatische_incasso,acceptgiro" if soort == "gemeente" else "automatische_incasso,via_werkgever"
        ),
        relatiemanager_naam="Marieke Hoogland",
        relatiemanager_email="m.hoogland@zorgenzekerheid.example",
        relatiemanager_telefoon="071 - 582 58 25",
    )
    for code, korting in (
        ("BASIS", "5.00"),
        ("AV-GOED", "10.00"),
        ("AV-BETER", "10.00"),
        ("AV-BEST", "10.00"),
        ("TAND-250", "7.50"),
    ):
        contract.producten.append(
            ContractProduct(product=producten[code], korting_percentage=Decimal(korting))
        )
    contract.contactpersonen.append(
        Contactpersoon(
            naam=f"Contactpersoon {naam}",
            functie="Consulent minimaregelingen" if soort == "gemeente" else "Salarisadministratie",
            email=f"collectief@{plaats.lower()}.example",
            telefoon="088 - 123 45 67",
        )
    )
    db.session.add(contract)
    db.session.flush()

    personen, deelnames = [], []
    for index in range(actief + beeindigd):
        migrant = rng.random() < migrant_share
        ingang = people.random_datum(rng, START, today - timedelta(days=5))
        ingang = ingang.replace(day=1) if rng.random() < 0.6 else ingang
        einde = None
        reden = None
        if index >= actief:
            einde = people.random_datum(rng, ingang, today - timedelta(days=1))
            reden = "overleden" if rng.random() < 0.04 else "einde_collectiviteit"
        if soort == "werkgever":
            geboren = (date(1965, 1, 1), date(2004, 12, 31))
        else:
            geboren = (date(1940, 1, 1), date(2000, 12, 31))
        gegevens = people.persoon_gegevens(
            rng, migrant=migrant, geboren_van=geboren[0], geboren_tot=geboren[1], woonplaats=plaats
        )
        personen.append({"bsn": next(bsns), "relatienummer": str(next(relatienummers)), **gegevens})
        deelnames.append((ingang, einde, reden))
    db.session.execute(insert(Persoon), personen)
    ids = dict(
        db.session.execute(
            select(Persoon.relatienummer, Persoon.id).where(
                Persoon.relatienummer.in_([p["relatienummer"] for p in personen])
            )
        ).all()
    )
    hoofd_rows = [
        {
            "persoon_id": ids[p["relatienummer"]],
            "contract_id": contract.id,
            "ingangsdatum": i,
            "einddatum": e,
            "reden_einde": r,
            "rol": "hoofdverzekerde",
            "zoek_achternaam": p["zoek_achternaam"],
            "zoek_volledig": p["zoek_volledig"],
            "created_at": datetime.combine(i, datetime.min.time(), UTC),
        }
        for p, (i, e, r) in zip(personen, deelnames, strict=True)
    ]
    db.session.execute(insert(Deelname), hoofd_rows)
    _gezinnen(contract, rng, bsns, relatienummers, plaats, soort)
    _polissen(contract, producten, rng)
    _berichten(contract, today)
    return contract


def _gezinnen(contract, rng, bsns, relatienummers, plaats, soort) -> None:
    """Some gemeente households get a partner and children under the hoofdverzekerde."""
    if soort != "gemeente":
        return
    hoofden = db.session.scalars(
        select(Deelname).where(Deelname.contract_id == contract.id, Deelname.einddatum.is_(None))
    ).all()
    for hoofd in rng.sample(hoofden, k=len(hoofden) // 8):
        leden = [("partner", (date(1950, 1, 1), date(2000, 1, 1)))]
        leden += [("kind", (date(2008, 1, 1), date(2023, 1, 1)))] * rng.choice((0, 1, 2, 3))
        for rol, (van, tot) in leden:
            gegevens = people.persoon_gegevens(
                rng, migrant=False, geboren_van=van, geboren_tot=tot, woonplaats=plaats
            )
            if rol == "kind":
                gegevens["achternaam"] = hoofd.persoon.achternaam
                gegevens["voorvoegsel"] = hoofd.persoon.voorvoegsel
            persoon = Persoon(
                bsn=next(bsns),
                relatienummer=str(next(relatienummers)),
                **{k: v for k, v in gegevens.items() if not k.startswith("zoek_")},
            )
            ingang = max(hoofd.ingangsdatum, gegevens["geboortedatum"])
            db.session.add(
                Deelname(
                    persoon=persoon,
                    contract_id=contract.id,
                    ingangsdatum=ingang,
                    rol=rol,
                    hoofd_deelname=hoofd,
                )
            )
    db.session.flush()


def _polissen(contract, producten, rng) -> None:
    """Most active participants are insured here too: basis plus often an aanvullend pakket."""
    rows = db.session.execute(
        select(Deelname.persoon_id, Deelname.ingangsdatum).where(
            Deelname.contract_id == contract.id, Deelname.einddatum.is_(None)
        )
    ).all()
    volgnummer = 0
    for persoon_id, ingang in rows:
        if rng.random() > 0.8:
            continue
        volgnummer += 1
        polis = Polis(
            polisnummer=f"P{contract.nummer}{volgnummer:06d}",
            persoon_id=persoon_id,
            contract_id=contract.id,
            ingangsdatum=ingang,
            betalingswijze="automatische_incasso",
            iban="NL91ABNA0417164300",
            rekeninghouder="Zie persoon",
        )
        polis.producten.append(PolisProduct(product=producten["BASIS"], ingangsdatum=ingang))
        extra = rng.choice(["AV-GOED", "AV-BETER", "AV-BEST", None])
        if extra:
            polis.producten.append(PolisProduct(product=producten[extra], ingangsdatum=ingang))
        db.session.add(polis)
    db.session.flush()


def _berichten(contract, today) -> None:
    """Confirmations for the last two months of aanmeldingen and afmeldingen."""
    sinds = today - timedelta(days=60)
    for deelname in db.session.scalars(
        select(Deelname).where(Deelname.contract_id == contract.id, Deelname.ingangsdatum >= sinds)
    ):
        berichten.aanmelding_ontvangen(contract, deelname.persoon, _moment(deelname.ingangsdatum))
    for deelname in db.session.scalars(
        select(Deelname).where(Deelname.contract_id == contract.id, Deelname.einddatum >= sinds)
    ):
        berichten.afmelding_ontvangen(contract, deelname.persoon, _moment(deelname.einddatum))
    db.session.flush()


def _moment(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), UTC) + timedelta(hours=9)


def _accounts(contracten: dict[str, Contract], today: date) -> None:
    organisaties = {c.organisatie.kvk_nummer: c.organisatie for c in contracten.values()}
    for identiteit in DEMO_IDENTITEITEN:
        if not identiteit.rollen:
            continue
        gebruiker = Gebruiker(
            organisatie=organisaties[identiteit.kvk_nummer],
            naam=identiteit.naam,
            email=identiteit.email,
            kvk_nummer=identiteit.kvk_nummer,
            pseudoniem=identiteit.pseudoniem,
            actief=identiteit.actief,
            contracten=[contracten[n] for n in identiteit.contracten],
            # Made two weeks ago, so the last two weeks' berichten show as unread.
            created_at=_moment(today - timedelta(days=14)),
        )
        zet_rollen(gebruiker, identiteit.rollen)
        db.session.add(gebruiker)
