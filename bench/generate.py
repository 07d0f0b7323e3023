"""Generate the benchmark database: 1,000,000 deelnemers over 200 contracts, one of 100,000.

    .venv/bin/python -m bench.generate [--deelnemers 1000000] [--contracten 200]
                                       [--database sqlite:///bench/data/bench.sqlite]

History from 2014: about a quarter of the deelnames have ended; ingangsdata spread over the
years. Each benchmark user ("bench-admin", "bench-fin") has every contract. Every deelname has a
polis with the basisverzekering over the same period, every other one also an aanvullend
pakket; both products have a tariff for every year and a collective discount. Deterministic.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert

from portal import create_app
from portal.config import normalise_database_url
from portal.demo import people
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
    gebruiker_contract,
)

DEFAULT_DB = Path(__file__).resolve().parent / "data" / "bench.sqlite"
BIG_CONTRACT = "100000"
BIG_SIZE = 100_000
BATCH = 20_000
START = date(2014, 1, 1)
TODAY = date(2026, 11, 1)
BENCH_KVK = "99000000"


def contract_sizes(total: int, contracts: int) -> list[int]:
    """One contract of 100,000 (or a tenth of the total), the rest shared evenly."""
    big = min(BIG_SIZE, total // 10)
    rest = total - big
    each, extra = divmod(rest, contracts - 1)
    return [big] + [each + (1 if i < extra else 0) for i in range(contracts - 1)]


def generate(database_url: str, total: int, contracts: int, seed: int = 1) -> dict:
    """Create schema and rows; returns counts and seconds."""
    started = time.perf_counter()
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench"})
    rng = random.Random(seed)
    with app.app_context():
        db.drop_all()
        db.create_all()
        org = Organisatie(naam="Benchmark Gemeenten", kvk_nummer=BENCH_KVK, soort="gemeente")
        db.session.add(org)
        db.session.flush()
        contract_rows = []
        for index in range(contracts):
            nummer = BIG_CONTRACT if index == 0 else str(200_000 + index)
            contract_rows.append(
                {
                    "nummer": nummer,
                    "naam": f"Gemeente Bench {index:03d}",
                    "soort": "gemeente",
                    "organisatie_id": org.id,
                    "ingangsdatum": START,
                    "collectiviteitsnummer": nummer,
                    "betalingswijzen": "automatische_incasso",
                }
            )
        db.session.execute(insert(Contract), contract_rows)
        contract_ids = [c.id for c in db.session.query(Contract).order_by(Contract.id)]
        users = [
            Gebruiker(
                organisatie_id=org.id,
                naam=f"Bench {rol}",
                email="bench@example.org",
                kvk_nummer=BENCH_KVK,
                pseudoniem=f"bench-{rol}",
                is_administratief=rol == "admin",
                is_financieel=rol == "fin",
            )
            for rol in ("admin", "fin")
        ]
        db.session.add_all(users)
        db.session.flush()
        db.session.execute(
            insert(gebruiker_contract),
            [{"gebruiker_id": u.id, "contract_id": c} for u in users for c in contract_ids],
        )
        db.session.commit()

        bsns = people.bsn_generator("9")
        persoon_id = 0
        for contract_id, size in zip(contract_ids, contract_sizes(total, contracts), strict=True):
            done = 0
            while done < size:
                n = min(BATCH, size - done)
                personen, deelnames = [], []
                for _ in range(n):
                    persoon_id += 1
                    gegevens = people.persoon_gegevens(
                        rng,
                        migrant=rng.random() < 0.1,
                        geboren_van=date(1940, 1, 1),
                        geboren_tot=date(2005, 12, 31),
                        woonplaats="Benchstad",
                    )
                    personen.append(
                        {
                            "id": persoon_id,
                            "bsn": next(bsns),
                            "relatienummer": str(10_000_000 + persoon_id),
                            **gegevens,
                        }
                    )
                    ingang = people.random_datum(rng, START, TODAY)
                    einde = reden = None
                    if rng.random() < 0.25:
                        einde = people.random_datum(rng, ingang, TODAY + timedelta(days=60))
                        reden = "einde_collectiviteit"
                    deelnames.append(
                        {
                            "persoon_id": persoon_id,
                            "contract_id": contract_id,
                            "ingangsdatum": ingang,
                            "einddatum": einde,
                            "reden_einde": reden,
                            "rol": "hoofdverzekerde",
                            "zoek_achternaam": gegevens["zoek_achternaam"],
                            "zoek_volledig": gegevens["zoek_volledig"],
                            "created_at": datetime.combine(ingang, datetime.min.time(), UTC),
                            "gewijzigd_op": datetime.combine(einde or ingang, datetime.min.time(), UTC),
                        }
                    )
                db.session.execute(insert(Persoon), personen)
                db.session.execute(insert(Deelname), deelnames)
                db.session.commit()
                done += n
        _polissen()
        _sequences_bijwerken()
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
    return {"deelnemers": total, "contracten": contracts, "seconden": round(time.perf_counter() - started, 1)}


def _polissen() -> None:
    """Products, tariffs, discounts, and a polis per deelname, in set-based SQL."""
    basis = Product(code="BENCH-BASIS", naam="Basisverzekering Bench", soort="basis")
    extra = Product(code="BENCH-GOED", naam="Aanvullend Goed Bench", soort="aanvullend", groep="bench")
    db.session.add_all([basis, extra])
    db.session.flush()
    for jaar in range(START.year, TODAY.year + 2):
        db.session.add_all(
            [
                ProductTarief(product_id=basis.id, jaar=jaar, maandpremie=Decimal("120.00") + jaar - 2014),
                ProductTarief(product_id=extra.id, jaar=jaar, maandpremie=Decimal("19.95")),
            ]
        )
    contract_ids = db.session.scalars(db.select(Contract.id)).all()
    db.session.execute(
        insert(ContractProduct),
        [
            {"contract_id": c, "product_id": p, "korting_percentage": Decimal(k)}
            for c in contract_ids
            for p, k in ((basis.id, "5.00"), (extra.id, "10.00"))
        ],
    )
    db.session.execute(
        db.text(
            "INSERT INTO polis (id, polisnummer, persoon_id, contract_id, ingangsdatum, einddatum, "
            "betalingswijze, created_at) SELECT id, 'B' || CAST(id AS VARCHAR(12)), persoon_id, "
            "contract_id, ingangsdatum, einddatum, 'via_werkgever', created_at FROM deelname"
        )
    )
    db.session.execute(
        db.text(
            "INSERT INTO polis_product (polis_id, product_id, ingangsdatum, einddatum) "
            "SELECT id, :basis, ingangsdatum, einddatum FROM polis"
        ),
        {"basis": basis.id},
    )
    db.session.execute(
        db.text(
            "INSERT INTO polis_product (polis_id, product_id, ingangsdatum, einddatum) "
            "SELECT id, :extra, ingangsdatum, einddatum FROM polis WHERE id % 2 = 0"
        ),
        {"extra": extra.id},
    )
    db.session.commit()


def _sequences_bijwerken() -> None:
    """Persons and polissen were inserted with their ids: on PostgreSQL the id sequences must
    continue above them, or the portal's first new person collides with person 1. (SQLite
    continues above the highest rowid by itself.)"""
    if db.engine.dialect.name != "postgresql":
        return
    for tabel in ("persoon", "polis"):
        db.session.execute(
            db.text(f"SELECT setval(pg_get_serial_sequence('{tabel}', 'id'), (SELECT max(id) FROM {tabel}))")
        )


def main() -> None:
    """Command line entry."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deelnemers", type=int, default=1_000_000)
    parser.add_argument("--contracten", type=int, default=200)
    parser.add_argument("--database", default=f"sqlite:///{DEFAULT_DB}")
    args = parser.parse_args()
    if args.database.startswith("sqlite:///"):
        Path(args.database.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    print(generate(normalise_database_url(args.database), args.deelnemers, args.contracten))


if __name__ == "__main__":
    main()
