"""Back-office and demo-data commands."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.domain.validation import is_valid_bsn
from portal.extensions import db
from portal.models import ApiCredential, Contract, Deelname, Gebruiker, Organisatie, Persoon

pytestmark = pytest.mark.postgres


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_data_is_complete_and_idempotent(runner):
    result = runner.invoke(args=["demo-data", "--vandaag", "2026-11-23"])
    assert result.exit_code == 0 and "Demodata geladen" in result.output
    counts = (_count(Persoon), _count(Deelname), _count(Gebruiker))
    actief = dict(
        db.session.execute(
            select(Contract.nummer, func.count(Deelname.id))
            .join(Deelname)
            .where(Deelname.einddatum.is_(None), Deelname.rol == "hoofdverzekerde")
            .group_by(Contract.nummer)
        ).all()
    )
    assert actief == {"12345": 3000, "12346": 430, "23595": 500}
    assert db.session.scalar(select(func.min(Deelname.ingangsdatum))) >= date(2014, 1, 1)
    assert db.session.scalar(select(func.count()).where(Deelname.rol == "kind")) > 100
    bsns = db.session.scalars(select(Persoon.bsn)).all()
    assert all(is_valid_bsn(b) and b.startswith("9999") for b in bsns)
    assert (
        db.session.scalar(
            select(func.count()).where(
                Persoon.achternaam.like("%ń%")
                | Persoon.achternaam.like("%ş%")
                | Persoon.achternaam.like("%ą%")
            )
        )
        > 0
    )
    again = runner.invoke(args=["demo-data"])
    assert "al aanwezig" in again.output
    assert (_count(Persoon), _count(Deelname), _count(Gebruiker)) == counts
    credential = db.session.scalar(select(ApiCredential))
    assert credential.gebruikersnaam == "flexwerk-demo"
    assert "flexwerk-demo-wachtwoord" not in credential.wachtwoord_hash


def test_back_office_creates_an_organisation_contract_and_first_account(runner):
    assert (
        runner.invoke(
            args=[
                "organisatie-aanmaken",
                "--naam",
                "Gemeente Zuidstad",
                "--kvk",
                "41000001",
                "--soort",
                "gemeente",
            ]
        ).exit_code
        == 0
    )
    result = runner.invoke(
        args=[
            "contract-aanmaken",
            "--kvk",
            "41000001",
            "--nummer",
            "77777",
            "--naam",
            "Gemeente Zuidstad",
            "--ingangsdatum",
            "01-01-2025",
            "--collectiviteitsnummer",
            "77777",
        ]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        args=[
            "accountbeheerder-aanmaken",
            "--kvk",
            "41000001",
            "--pseudoniem",
            "zuid-1",
            "--naam",
            "Zus Zuid",
            "--email",
            "z@zuid.example",
            "--contract",
            "77777",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(Gebruiker).where(Gebruiker.pseudoniem == "zuid-1"))
    assert user.rollen == {"accountbeheer"} and [c.nummer for c in user.contracten] == ["77777"]


@pytest.mark.parametrize(
    "args,message",
    [
        (["organisatie-aanmaken", "--naam", "X", "--kvk", "123", "--soort", "gemeente"], "8 cijfers"),
        (
            [
                "contract-aanmaken",
                "--kvk",
                "41000009",
                "--nummer",
                "1",
                "--naam",
                "X",
                "--ingangsdatum",
                "2025-01-01",
                "--collectiviteitsnummer",
                "1",
            ],
            "Geen organisatie",
        ),
        (
            [
                "contract-aanmaken",
                "--kvk",
                "41000009",
                "--nummer",
                "1",
                "--naam",
                "X",
                "--ingangsdatum",
                "31-02-2025",
                "--collectiviteitsnummer",
                "1",
            ],
            "dd-mm-jjjj",
        ),
    ],
)
def test_back_office_refuses_bad_input(runner, args, message):
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert message in result.output


def test_api_credentials_are_printed_once_and_stored_hashed(runner):
    db.session.add(Organisatie(naam="Werkgever", kvk_nummer="41000002", soort="werkgever"))
    db.session.commit()
    result = runner.invoke(
        args=["api-credentials-uitgeven", "--kvk", "41000002", "--gebruikersnaam", "werkgever-api"]
    )
    assert result.exit_code == 0
    wachtwoord = result.output.split("getoond): ")[1].strip()
    stored = db.session.scalar(select(ApiCredential)).wachtwoord_hash
    assert len(wachtwoord) >= 24 and wachtwoord not in stored
    from portal.domain import credentials

    assert credentials.check(db.session.scalar(select(ApiCredential)), wachtwoord)
