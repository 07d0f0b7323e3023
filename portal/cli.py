"""Commands for the back office and the demo: ``flask --app portal <command>``.

Each command is an edge: it owns its unit of work (``transaction()``) and commits once; a long
run (the monthly borderellen) commits each contract on its own.
"""

from __future__ import annotations

from datetime import date

import click
from flask import Flask
from sqlalchemy import select

from portal.domain import audit, credentials
from portal.domain.rollen import Rol, zet_rollen
from portal.domain.validation import is_valid_kvk, lees_datum
from portal.extensions import db
from portal.models import AuthSession, Contract, Gebruiker, LoginState, Organisatie
from portal.models.types import utcnow
from portal.transaction import transaction


def _datum(ctx, param, value):
    if value is None:
        return None
    parsed = lees_datum(value)
    if parsed is None:
        raise click.BadParameter("gebruik dd-mm-jjjj of jjjj-mm-dd")
    return parsed


def _maand(ctx, param, value):
    if value is None:
        return None
    try:
        jaar, maand = (int(deel) for deel in value.split("-"))
        return date(jaar, maand, 1)
    except ValueError:
        raise click.BadParameter("gebruik jjjj-mm, bijvoorbeeld 2026-12") from None


def _kvk(ctx, param, value):
    if not is_valid_kvk(value):
        raise click.BadParameter("een KvK-nummer heeft 8 cijfers")
    return value


def _organisatie(kvk: str) -> Organisatie:
    organisatie = db.session.scalar(select(Organisatie).where(Organisatie.kvk_nummer == kvk))
    if organisatie is None:
        raise click.ClickException(f"Geen organisatie met KvK-nummer {kvk}.")
    return organisatie


def maak_borderellen(maand: date, contracten=None, gemaakt_op: date | None = None) -> list:
    """The month's borderel of each contract (the running ones by default), each contract
    committed on its own. Also the monthly task's run (``portal.tasks``)."""
    from portal.documents.borderel import DOCUMENTEN
    from portal.domain import borderellen

    uitkomsten = []
    for contract in borderellen.lopende_contracten(maand) if contracten is None else contracten:
        with transaction():
            uitkomsten.append(borderellen.genereer(contract, maand, gemaakt_op, documenten=DOCUMENTEN))
    return uitkomsten


def register(app: Flask) -> None:
    """Attach the commands to ``app.cli``."""

    @app.cli.command("demo-data")
    @click.option("--vandaag", callback=_datum, help="Doe alsof het vandaag deze datum is.")
    def demo_data(vandaag: date | None):
        """Load the demo data set (idempotent)."""
        from portal.demo import data

        if data.load(today=vandaag):
            from portal.domain.dates import eerste_dag, vorige_maand
            from portal.domain.dates import vandaag as echt_vandaag

            # Three months of borderellen, oldest first, so the screen has something to show.
            deze = eerste_dag(vandaag or echt_vandaag())
            for maand in (vorige_maand(vorige_maand(deze)), vorige_maand(deze), deze):
                maak_borderellen(maand, gemaakt_op=maand)
            click.echo("Demodata geladen.")
        else:
            click.echo("Demodata was al aanwezig; niets gewijzigd.")

    @app.cli.command("organisatie-aanmaken")
    @click.option("--naam", required=True)
    @click.option("--kvk", required=True, callback=_kvk)
    @click.option("--soort", type=click.Choice(["gemeente", "werkgever"]), required=True)
    def organisatie_aanmaken(naam: str, kvk: str, soort: str):
        """Create an organisatie (gemeente or werkgever)."""
        if db.session.scalar(select(Organisatie).where(Organisatie.kvk_nummer == kvk)):
            raise click.ClickException(f"Er bestaat al een organisatie met KvK-nummer {kvk}.")
        with transaction():
            db.session.add(Organisatie(naam=naam, kvk_nummer=kvk, soort=soort))
        click.echo(f"Organisatie {naam} ({kvk}) aangemaakt.")

    @app.cli.command("contract-aanmaken")
    @click.option("--kvk", required=True, callback=_kvk, help="KvK-nummer van de organisatie")
    @click.option("--nummer", required=True)
    @click.option("--naam", required=True)
    @click.option("--ingangsdatum", required=True, callback=_datum)
    @click.option("--collectiviteitsnummer", required=True)
    @click.option("--aanleveren-vanaf", callback=_datum)
    def contract_aanmaken(kvk, nummer, naam, ingangsdatum, collectiviteitsnummer, aanleveren_vanaf):
        """Create a contract for an existing organisatie."""
        organisatie = _organisatie(kvk)
        if db.session.scalar(
            select(Contract).where(
                (Contract.nummer == nummer) | (Contract.collectiviteitsnummer == collectiviteitsnummer)
            )
        ):
            raise click.ClickException("Contractnummer of collectiviteitsnummer bestaat al.")
        with transaction():
            db.session.add(
                Contract(
                    nummer=nummer,
                    naam=naam,
                    soort=organisatie.soort,
                    organisatie=organisatie,
                    ingangsdatum=ingangsdatum,
                    collectiviteitsnummer=collectiviteitsnummer,
                    aanleveren_vanaf=aanleveren_vanaf,
                )
            )
        click.echo(f"Contract {nummer} - {naam} aangemaakt.")

    @app.cli.command("accountbeheerder-aanmaken")
    @click.option("--kvk", required=True, callback=_kvk)
    @click.option("--pseudoniem", required=True, help="eHerkenning ActingSubjectID")
    @click.option("--naam", required=True)
    @click.option("--email", required=True)
    @click.option("--contract", "contracten", multiple=True, required=True)
    def accountbeheerder_aanmaken(kvk, pseudoniem, naam, email, contracten):
        """Create the first accountbeheerder of an organisatie."""
        organisatie = _organisatie(kvk)
        gevonden = db.session.scalars(
            select(Contract).where(Contract.nummer.in_(contracten), Contract.organisatie_id == organisatie.id)
        ).all()
        if len(gevonden) != len(set(contracten)):
            raise click.ClickException("Onbekend contract, of niet van deze organisatie.")
        if db.session.scalar(
            select(Gebruiker).where(Gebruiker.kvk_nummer == kvk, Gebruiker.pseudoniem == pseudoniem)
        ):
            raise click.ClickException("Voor deze eHerkenning-identiteit bestaat al een account.")
        with transaction():
            beheerder = Gebruiker(
                organisatie=organisatie,
                naam=naam,
                email=email,
                kvk_nummer=kvk,
                pseudoniem=pseudoniem,
                contracten=list(gevonden),
            )
            zet_rollen(beheerder, {Rol.ACCOUNTBEHEER})
            db.session.add(beheerder)
        click.echo(f"Accountbeheerder {naam} aangemaakt.")

    @app.cli.command("api-credentials-uitgeven")
    @click.option("--kvk", required=True, callback=_kvk)
    @click.option("--gebruikersnaam", required=True)
    def api_credentials_uitgeven(kvk, gebruikersnaam):
        """Issue credentials for an employer's communicatieprofiel; prints the password once."""
        organisatie = _organisatie(kvk)
        if organisatie.soort != "werkgever":
            raise click.ClickException("Alleen werkgevers hebben een digitale koppeling.")
        with transaction():
            _, wachtwoord = credentials.issue(organisatie, gebruikersnaam)
        click.echo(f"Gebruikersnaam: {gebruikersnaam}")
        click.echo(f"Wachtwoord (wordt maar één keer getoond): {wachtwoord}")

    @app.cli.command("borderellen-maken")
    @click.option("--maand", callback=_maand, help="jjjj-mm; standaard de lopende maand")
    @click.option("--contract", "nummers", multiple=True, help="contractnummer (herhaalbaar); standaard alle")
    def borderellen_maken(maand: date | None, nummers: tuple[str, ...]):
        """Make the borderel and factuur of one month for one or all contracts (idempotent)."""
        from portal.domain.dates import vandaag

        contracten = None
        if nummers:
            contracten = db.session.scalars(select(Contract).where(Contract.nummer.in_(nummers))).all()
            onbekend = set(nummers) - {c.nummer for c in contracten}
            if onbekend:
                raise click.ClickException(f"Onbekend contract: {', '.join(sorted(onbekend))}.")
        uitkomsten = maak_borderellen(maand or vandaag(), contracten)
        nieuw = [u for u in uitkomsten if u.nieuw]
        for u in nieuw:
            click.echo(f"{u.contract}: borderel {u.maand:%Y-%m} gemaakt ({u.regels} regels).")
        click.echo(f"{len(nieuw)} borderel(len) gemaakt, {len(uitkomsten) - len(nieuw)} bestonden al.")

    @app.cli.command("sessies-opruimen")
    def sessies_opruimen():
        """Delete ended login sessions and used or stale login states."""
        from datetime import timedelta

        grens = utcnow() - timedelta(days=1)
        with transaction():
            sessies = db.session.query(AuthSession).filter(AuthSession.ended_at < grens).delete()
            states = db.session.query(LoginState).filter(LoginState.created_at < grens).delete()
        click.echo(f"{sessies} sessies en {states} login-states verwijderd.")

    @app.cli.command("contactvragen")
    def contactvragen():
        """List the open contact questions (oldest first)."""
        from portal.domain import contact

        vragen = contact.open_vragen()
        for v in vragen:
            context = ", ".join(f"{k} {val}" for k, val in (v.context or {}).items())
            click.echo(
                f"#{v.id} {v.created_at:%d-%m-%Y} gebruiker {v.gebruiker_id}: {v.onderwerp}"
                + (f" ({context})" if context else "")
            )
            click.echo(f"    {v.vraag}")
        click.echo(f"{len(vragen)} open vraag/vragen.")

    @app.cli.command("contactvraag-beantwoorden")
    @click.argument("vraag_id", type=int)
    @click.option("--antwoord", required=True)
    def contactvraag_beantwoorden(vraag_id: int, antwoord: str):
        """Answer a contact question; the user gets a bericht."""
        from portal.domain import contact

        try:
            with transaction():
                contact.beantwoord(vraag_id, antwoord, toegang=audit.CLI)
        except contact.VraagFout as fout:
            raise click.ClickException(str(fout)) from None
        click.echo(f"Vraag {vraag_id} beantwoord.")

    @app.cli.command("accountaanvragen")
    def accountaanvragen():
        """List the open account requests the back office must handle (no accountbeheerder)."""
        from portal.domain import accounts

        aanvragen = accounts.open_aanvragen(None)
        for a in aanvragen:
            click.echo(
                f"#{a.id} {a.created_at:%d-%m-%Y} {a.naam} <{a.email}>, {a.organisatie_naam} "
                f"(KvK {a.kvk_nummer}{'' if a.organisatie_id else ', organisatie onbekend'}); "
                f"rollen {', '.join(a.gewenste_rollen) or '-'}; "
                f"contracten {a.gewenste_contracten or '-'}"
            )
        click.echo(f"{len(aanvragen)} open aanvraag/aanvragen.")

    @app.cli.command("accountaanvraag-goedkeuren")
    @click.argument("aanvraag_id", type=int)
    @click.option(
        "--rol", "rollen", multiple=True, required=True, type=click.Choice([rol.value for rol in Rol])
    )
    @click.option("--contract", "nummers", multiple=True, help="contractnummer (herhaalbaar)")
    def accountaanvraag_goedkeuren(aanvraag_id: int, rollen, nummers):
        """Approve a request: the account is made with these roles and contracts."""
        from portal.domain import accounts
        from portal.models import AccountAanvraag

        aanvraag = db.session.get(AccountAanvraag, aanvraag_id)
        if aanvraag is None:
            raise click.ClickException(f"Geen aanvraag met nummer {aanvraag_id}.")
        organisatie = accounts.organisatie_van(aanvraag)
        contracten = db.session.scalars(
            select(Contract).where(
                Contract.nummer.in_(nummers), Contract.organisatie_id == getattr(organisatie, "id", None)
            )
        ).all()
        if len(contracten) != len(set(nummers)):
            raise click.ClickException("Onbekend contract, of niet van deze organisatie.")
        try:
            with transaction():
                account = accounts.goedkeuren(
                    None,
                    aanvraag,
                    accounts.Rechten(frozenset(rollen), frozenset(c.id for c in contracten)),
                    toegang=audit.CLI,
                )
        except accounts.AccountFout as fout:
            raise click.ClickException(fout.bericht) from None
        click.echo(f"Account {account.id} voor {account.naam} aangemaakt.")

    @app.cli.command("accountaanvraag-afwijzen")
    @click.argument("aanvraag_id", type=int)
    @click.option("--reden", required=True)
    def accountaanvraag_afwijzen(aanvraag_id: int, reden: str):
        """Reject a request, with the reason (tell the requester by e-mail)."""
        from portal.domain import accounts
        from portal.models import AccountAanvraag

        aanvraag = db.session.get(AccountAanvraag, aanvraag_id)
        if aanvraag is None:
            raise click.ClickException(f"Geen aanvraag met nummer {aanvraag_id}.")
        try:
            with transaction():
                accounts.afwijzen(None, aanvraag, reden, toegang=audit.CLI)
        except accounts.AccountFout as fout:
            raise click.ClickException(fout.bericht) from None
        click.echo(f"Aanvraag {aanvraag_id} afgewezen.")
