"""Accountbeheer: who may give whom which roles and contracts. Every rule lives here; the screen,
the account requests and the back-office commands all call these functions.

- An accountbeheerder manages the accounts of their own organisation only, and grants (or takes
  away) only contracts they have themselves; contracts of a colleague outside that set are kept
  as they are. The back office grants any contract of the account's organisation.
- An organisation always keeps at least one active accountbeheerder: the last one cannot be
  removed, deactivated or lose the role.
- A change takes effect at the affected user's next request (roles and contracts are read per
  request; a deactivated or removed account's login sessions end at once).
- Every change is audited with before and after, and becomes a bericht for the account and the
  organisation's accountbeheerders. The caller passes the access point (``toegang``) for the
  audit record and commits; a refused change undoes only its own part (a savepoint).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select, update

from portal.domain import audit, berichten
from portal.domain.fouten import Geweigerd
from portal.domain.rollen import Rol, in_volgorde, labels, zet_rollen
from portal.extensions import db
from portal.models import AccountAanvraag, AuthSession, Contract, Gebruiker, Organisatie
from portal.models.types import utcnow

E_MAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
E_MAIL_FOUT = "Vul een geldig e-mailadres in, bijvoorbeeld naam@gemeente.nl."
# The account's columns (naam, e-mail, eHerkenning-identiteit) hold at most this many characters.
MAX_LENGTE = 200


class AccountFout(Geweigerd):
    """A change the rules refuse; ``veld`` names the form field it is about."""

    CODE = "account_geweigerd"


@dataclass(frozen=True)
class Rechten:
    """Roles by name and contracts by id."""

    rollen: frozenset[str]
    contract_ids: frozenset[int]


def accounts(organisatie_id: int) -> list[Gebruiker]:
    """The organisation's accounts (not removed), by name."""
    return list(
        db.session.scalars(
            select(Gebruiker)
            .where(Gebruiker.organisatie_id == organisatie_id, Gebruiker.verwijderd_op.is_(None))
            .order_by(func.lower(Gebruiker.naam), Gebruiker.id)
        )
    )


def vind(beheerder: Gebruiker, account_id: int) -> Gebruiker | None:
    """An account ``beheerder`` may manage; another organisation's is as unknown as a missing one."""
    account = db.session.get(Gebruiker, account_id)
    if (
        account is None
        or account.verwijderd_op is not None
        or account.organisatie_id != beheerder.organisatie_id
    ):
        return None
    return account


def beheerders(organisatie_id: int) -> list[Gebruiker]:
    """The active accountbeheerders of the organisation."""
    return list(
        db.session.scalars(
            select(Gebruiker).where(
                Gebruiker.organisatie_id == organisatie_id,
                Gebruiker.is_accountbeheerder.is_(True),
                Gebruiker.actief.is_(True),
                Gebruiker.verwijderd_op.is_(None),
            )
        )
    )


def toekenbaar(beheerder: Gebruiker | None, organisatie_id: int) -> list[Contract]:
    """The contracts ``beheerder`` may grant: exactly their own (which may include a contract
    their organisation runs for another, as a shared service does); the back office: every
    contract of the organisation."""
    if beheerder is not None:
        return sorted(beheerder.contracten, key=lambda c: c.nummer)
    return list(
        db.session.scalars(
            select(Contract).where(Contract.organisatie_id == organisatie_id).order_by(Contract.nummer)
        )
    )


def rechten_van(account: Gebruiker) -> Rechten:
    return Rechten(frozenset(account.rollen), frozenset(c.id for c in account.contracten))


def _beschrijving(account: Gebruiker) -> dict:
    """What the audit log keeps as 'before' and 'after' (no secrets, no BSN)."""
    return {
        "rollen": sorted(account.rollen),
        "contracten": [c.nummer for c in account.contracten],
        "actief": account.actief,
    }


def _controleer_rollen(rollen) -> frozenset[str]:
    rollen = frozenset(rollen)
    if not rollen:
        raise AccountFout("Kies ten minste één rol.", "rollen")
    if not rollen <= set(Rol):
        raise AccountFout("Kies rollen uit de lijst.", "rollen")
    return rollen


def _nieuwe_contracten(beheerder, organisatie_id: int, gevraagd, huidig=()) -> list[Contract]:
    """The contracts after the change: what was asked within the grantable set, plus the
    account's current contracts outside it (not the beheerder's to change)."""
    toegestaan = {c.id: c for c in toekenbaar(beheerder, organisatie_id)}
    gevraagd = set(gevraagd)
    if not gevraagd <= toegestaan.keys():
        raise AccountFout(
            "U kunt alleen toegang geven tot contracten waartoe u zelf toegang heeft.", "contracten"
        )
    buiten = [c for c in huidig if c.id not in toegestaan]
    return sorted([toegestaan[i] for i in gevraagd] + buiten, key=lambda c: c.nummer)


def _vergrendel(organisatie_id: int) -> None:
    """Serialise account changes of one organisation, so two accountbeheerders demoting each
    other at the same moment cannot leave it without one (PostgreSQL: a row lock)."""
    db.session.execute(select(Organisatie.id).where(Organisatie.id == organisatie_id).with_for_update())


def _houdt_beheerder(account: Gebruiker) -> None:
    """After the change (flushed), the organisation must still have an active accountbeheerder;
    raised inside the change's savepoint, so the change is undone."""
    db.session.flush()
    if not beheerders(account.organisatie_id):
        raise AccountFout(
            f"{account.naam} is de laatste actieve accountbeheerder van uw organisatie. "
            "Geef eerst een collega de rol accountbeheer.",
            "rollen",
        )


def _beeindig_sessies(account: Gebruiker, reden: str) -> None:
    db.session.execute(
        update(AuthSession)
        .where(AuthSession.gebruiker_id == account.id, AuthSession.ended_at.is_(None))
        .values(ended_at=utcnow(), ended_reason=reden)
    )


def _vastleggen(
    gebeurtenis: str, actie: str, beheerder, account, voor, tekst: str, toegang: audit.Toegang
) -> None:
    audit.record(
        gebeurtenis,
        actie,
        wie=audit.Wie.van(beheerder),
        toegang=toegang,
        details={
            "account": account.id,
            "naam": account.naam,
            "voor": voor,
            "na": _beschrijving(account) if actie != "delete" else None,
        },
    )
    berichten.account_gewijzigd(account, tekst, beheerders(account.organisatie_id))


def _door(beheerder) -> str:
    return beheerder.naam if beheerder is not None else "Zorg en Zekerheid"


def _controleer_gegevens(naam: str, email: str) -> tuple[str, str]:
    naam, email = (naam or "").strip(), (email or "").strip()
    if not naam:
        raise AccountFout("Vul de naam in.", "naam")
    if len(naam) > MAX_LENGTE:
        raise AccountFout(f"De naam is te lang (maximaal {MAX_LENGTE} tekens).", "naam")
    if not E_MAIL.match(email) or len(email) > MAX_LENGTE:
        raise AccountFout(E_MAIL_FOUT, "email")
    return naam, email


def aanmaken(
    beheerder: Gebruiker | None,
    organisatie: Organisatie,
    *,
    naam: str,
    email: str,
    pseudoniem: str,
    rechten: Rechten,
    toegang: audit.Toegang,
) -> Gebruiker:
    """A new account of ``organisatie`` for the eHerkenning identity (its KvK, ``pseudoniem``)."""
    naam, email = _controleer_gegevens(naam, email)
    pseudoniem = (pseudoniem or "").strip()
    if not pseudoniem:
        raise AccountFout("Vul de eHerkenning-identiteit in waarmee de collega inlogt.", "pseudoniem")
    if len(pseudoniem) > MAX_LENGTE:
        raise AccountFout(
            f"De eHerkenning-identiteit is te lang (maximaal {MAX_LENGTE} tekens).", "pseudoniem"
        )
    rollen = _controleer_rollen(rechten.rollen)
    contracten = _nieuwe_contracten(beheerder, organisatie.id, rechten.contract_ids)
    if db.session.scalar(
        select(Gebruiker.id).where(
            Gebruiker.kvk_nummer == organisatie.kvk_nummer, Gebruiker.pseudoniem == pseudoniem
        )
    ):
        raise AccountFout("Voor deze eHerkenning-identiteit bestaat al een account.", "pseudoniem")
    account = Gebruiker(
        organisatie_id=organisatie.id,
        naam=naam,
        email=email,
        kvk_nummer=organisatie.kvk_nummer,
        pseudoniem=pseudoniem,
        contracten=contracten,
    )
    zet_rollen(account, rollen)
    db.session.add(account)
    db.session.flush()
    _vastleggen(
        "account_aangemaakt",
        "create",
        beheerder,
        account,
        None,
        f"Account voor {naam} aangemaakt door {_door(beheerder)}: rollen {labels(rollen)}; "
        f"contracten {', '.join(c.nummer for c in contracten) or 'geen'}.",
        toegang,
    )
    return account


def wijzigen(beheerder: Gebruiker, account: Gebruiker, rechten: Rechten, *, toegang: audit.Toegang) -> None:
    """'Account bewerken': the ticked roles and contracts."""
    rollen = _controleer_rollen(rechten.rollen)
    with db.session.begin_nested():
        _vergrendel(account.organisatie_id)
        voor = _beschrijving(account)
        contracten = _nieuwe_contracten(
            beheerder, account.organisatie_id, rechten.contract_ids, account.contracten
        )
        zet_rollen(account, rollen)
        account.contracten = contracten
        _houdt_beheerder(account)
    na = _beschrijving(account)
    if na == voor:
        return
    _vastleggen(
        "account_gewijzigd",
        "update",
        beheerder,
        account,
        voor,
        f"Rechten van {account.naam} gewijzigd door {_door(beheerder)}: rollen "
        f"{labels(rollen)}; contracten {', '.join(na['contracten']) or 'geen'}.",
        toegang,
    )


def deactiveren(beheerder: Gebruiker, account: Gebruiker, *, toegang: audit.Toegang) -> None:
    """The account can no longer log in; a running session ends at its next request."""
    if not account.actief:
        return
    with db.session.begin_nested():
        _vergrendel(account.organisatie_id)
        voor = _beschrijving(account)
        account.actief = False
        _houdt_beheerder(account)
    _beeindig_sessies(account, "gedeactiveerd")
    _vastleggen(
        "account_gedeactiveerd",
        "update",
        beheerder,
        account,
        voor,
        f"Account van {account.naam} gedeactiveerd door {_door(beheerder)}.",
        toegang,
    )


def activeren(beheerder: Gebruiker, account: Gebruiker, *, toegang: audit.Toegang) -> None:
    if account.actief:
        return
    voor = _beschrijving(account)
    account.actief = True
    _vastleggen(
        "account_geactiveerd",
        "update",
        beheerder,
        account,
        voor,
        f"Account van {account.naam} weer geactiveerd door {_door(beheerder)}.",
        toegang,
    )


def verwijderen(beheerder: Gebruiker, account: Gebruiker, *, toegang: audit.Toegang) -> None:
    """Remove the account: it loses its identity (which may get a new account later), roles and
    contracts, and leaves the list; its row stays for the meldingen and questions that name it."""
    with db.session.begin_nested():
        _vergrendel(account.organisatie_id)
        voor = _beschrijving(account)
        zet_rollen(account, ())
        account.actief = False
        account.contracten = []
        account.verwijderd_op = utcnow()
        account.pseudoniem = f"verwijderd-{account.id}"
        account.email = ""
        _houdt_beheerder(account)
    _beeindig_sessies(account, "verwijderd")
    _vastleggen(
        "account_verwijderd",
        "delete",
        beheerder,
        account,
        voor,
        f"Account van {account.naam} verwijderd door {_door(beheerder)}.",
        toegang,
    )


# ---------------------------------------------------------------- account requests --------


def open_aanvragen(organisatie_id: int | None) -> list[AccountAanvraag]:
    """Open requests for the organisation; with None, those the back office must handle
    (no known organisation, or one without an active accountbeheerder)."""
    query = (
        select(AccountAanvraag).where(AccountAanvraag.status == "open").order_by(AccountAanvraag.created_at)
    )
    if organisatie_id is not None:
        return list(db.session.scalars(query.where(AccountAanvraag.organisatie_id == organisatie_id)))
    return [
        a for a in db.session.scalars(query) if a.organisatie_id is None or not beheerders(a.organisatie_id)
    ]


def vind_aanvraag(beheerder: Gebruiker, aanvraag_id: int) -> AccountAanvraag | None:
    aanvraag = db.session.get(AccountAanvraag, aanvraag_id)
    if aanvraag is None or aanvraag.status != "open" or aanvraag.organisatie_id != beheerder.organisatie_id:
        return None
    return aanvraag


def aanvragen(
    *,
    organisatie_naam: str,
    kvk_nummer: str,
    naam: str,
    email: str,
    pseudoniem: str,
    rollen,
    contracten: str,
    wie: audit.Wie | None,
    toegang: audit.Toegang,
) -> AccountAanvraag:
    """Store a request from someone who logged in with eHerkenning but has no account; it goes to
    the accountbeheerders of the organisation with that KvK-nummer, or else to the back office."""
    naam, email = _controleer_gegevens(naam, email)
    if db.session.scalar(
        select(Gebruiker.id).where(Gebruiker.kvk_nummer == kvk_nummer, Gebruiker.pseudoniem == pseudoniem)
    ):
        raise AccountFout("U heeft al een account. Log in met eHerkenning.")
    if db.session.scalar(
        select(AccountAanvraag.id).where(
            AccountAanvraag.kvk_nummer == kvk_nummer,
            AccountAanvraag.pseudoniem == pseudoniem,
            AccountAanvraag.status == "open",
        )
    ):
        raise AccountFout("U heeft al een aanvraag ingediend die nog niet is behandeld.")
    organisatie = db.session.scalar(select(Organisatie).where(Organisatie.kvk_nummer == kvk_nummer))
    aanvraag = AccountAanvraag(
        organisatie_naam=organisatie_naam.strip(),
        kvk_nummer=kvk_nummer,
        naam=naam,
        email=email,
        pseudoniem=pseudoniem,
        gewenste_rollen=[str(r) for r in in_volgorde(set(rollen))],
        gewenste_contracten=(contracten or "").strip()[:500] or None,
        organisatie_id=organisatie.id if organisatie else None,
    )
    db.session.add(aanvraag)
    db.session.flush()
    ontvangers = beheerders(organisatie.id) if organisatie else []
    berichten.account_aangevraagd(aanvraag, ontvangers)
    audit.record(
        "account_aangevraagd",
        "create",
        wie=wie,
        toegang=toegang,
        details={
            "aanvraag": aanvraag.id,
            "kvk_nummer": kvk_nummer,
            "naar": "accountbeheer" if ontvangers else "backoffice",
        },
    )
    return aanvraag


def voorgestelde_contracten(aanvraag: AccountAanvraag, contracten: list[Contract]) -> list[int]:
    """The grantable contracts whose number the requester wrote in 'gewenste contracten'."""
    genoemd = set(re.findall(r"\d+", aanvraag.gewenste_contracten or ""))
    return [c.id for c in contracten if c.nummer in genoemd]


def organisatie_van(aanvraag: AccountAanvraag) -> Organisatie | None:
    """The organisation a request is for: the one it was matched to when sent, or one with its
    KvK-nummer that the back office made since."""
    if aanvraag.organisatie_id is not None:
        return db.session.get(Organisatie, aanvraag.organisatie_id)
    organisatie = db.session.scalar(select(Organisatie).where(Organisatie.kvk_nummer == aanvraag.kvk_nummer))
    aanvraag.organisatie_id = organisatie.id if organisatie else None
    return organisatie


def goedkeuren(
    beheerder: Gebruiker | None, aanvraag: AccountAanvraag, rechten: Rechten, *, toegang: audit.Toegang
) -> Gebruiker:
    """Create the requested account with the chosen roles and contracts."""
    if aanvraag.status != "open":
        raise AccountFout("Deze aanvraag is al behandeld.")
    organisatie = organisatie_van(aanvraag)
    if organisatie is None:
        raise AccountFout(f"Er is geen organisatie met KvK-nummer {aanvraag.kvk_nummer}; maak die eerst aan.")
    account = aanmaken(
        beheerder,
        organisatie,
        naam=aanvraag.naam,
        email=aanvraag.email,
        pseudoniem=aanvraag.pseudoniem or "",
        rechten=rechten,
        toegang=toegang,
    )
    aanvraag.status = "goedgekeurd"
    aanvraag.gebruiker_id = account.id
    aanvraag.behandeld_door_id = getattr(beheerder, "id", None)
    aanvraag.afgehandeld_op = utcnow()
    audit.record(
        "account_aanvraag_goedgekeurd",
        "update",
        wie=audit.Wie.van(beheerder),
        toegang=toegang,
        details={"aanvraag": aanvraag.id, "account": account.id},
    )
    return account


def afwijzen(
    beheerder: Gebruiker | None, aanvraag: AccountAanvraag, reden: str, *, toegang: audit.Toegang
) -> None:
    if aanvraag.status != "open":
        raise AccountFout("Deze aanvraag is al behandeld.")
    reden = (reden or "").strip()
    if not reden:
        raise AccountFout("Vul de reden van de afwijzing in.", "reden")
    aanvraag.status = "afgewezen"
    aanvraag.reden = reden[:500]
    aanvraag.behandeld_door_id = getattr(beheerder, "id", None)
    aanvraag.afgehandeld_op = utcnow()
    audit.record(
        "account_aanvraag_afgewezen",
        "update",
        wie=audit.Wie.van(beheerder),
        toegang=toegang,
        details={"aanvraag": aanvraag.id},
    )
