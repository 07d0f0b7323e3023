"""The edge owns the transaction: a change and its audit record are saved both or neither, and
the domain never commits or rolls back (a source scan), on SQLite and PostgreSQL."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.domain import audit, contact, intake
from portal.extensions import db
from portal.models import AuditLog, ContactVraag, Deelname, Melding, Persoon
from portal.transaction import transaction
from portal.web.access import PUBLIC_ENDPOINTS
from tests import factories

pytestmark = pytest.mark.postgres

DOMAIN = Path(__file__).resolve().parent.parent / "portal" / "domain"


def _telling(model, *where) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _vraag(world) -> int:
    vraag = ContactVraag(
        gebruiker_id=world.users["administratief"].id,
        onderwerp="Premie",
        vraag="Klopt de premie?",
        context={},
    )
    db.session.add(vraag)
    db.session.commit()
    return vraag.id


def _aanmelding(world, melding_id: str) -> intake.MeldingIn:
    return intake.MeldingIn.uit_json(factories.api_aanmelding(world.org, world.contract_a, melding_id))


def test_an_exception_at_the_edge_leaves_neither_the_change_nor_its_audit(app, world):
    vraag_id = _vraag(world)
    with pytest.raises(RuntimeError), transaction():
        contact.beantwoord(vraag_id, "Ja.", toegang=audit.CLI)
        raise RuntimeError("after the domain change")
    assert db.session.get(ContactVraag, vraag_id).status == "open"
    assert _telling(AuditLog, AuditLog.gebeurtenis == "contactvraag_beantwoord") == 0
    # Without the exception, both are saved.
    with transaction():
        contact.beantwoord(vraag_id, "Ja.", toegang=audit.CLI)
    assert db.session.get(ContactVraag, vraag_id).status == "beantwoord"
    [record] = db.session.scalars(select(AuditLog).where(AuditLog.gebeurtenis == "contactvraag_beantwoord"))
    assert (record.route, record.bron, record.gebruiker_id) == ("cli", "cli", None)


def test_a_melding_written_in_savepoints_is_undone_with_the_edge(app, world):
    """The intake writes in savepoints; releasing them saves nothing until the edge commits
    (on SQLite the first savepoint starts the transaction, so its release is no commit)."""
    afzender = intake.Afzender(kanaal="api", bron="api:1", organisatie_id=world.org.id)
    db.session.commit()
    deelnames = _telling(Deelname)
    with pytest.raises(RuntimeError), transaction():
        assert intake.ontvang(_aanmelding(world, "m-1"), afzender).status == "verwerkt"
        raise RuntimeError("after the melding")
    assert (_telling(Melding), _telling(Deelname)) == (0, deelnames)
    assert _telling(Persoon, Persoon.bsn == "999990019") == 0
    assert _telling(AuditLog, AuditLog.gebeurtenis == "melding_aanmelding") == 0
    with transaction():
        assert intake.ontvang(_aanmelding(world, "m-1"), afzender).status == "verwerkt"
    assert (_telling(Melding), _telling(Deelname)) == (1, deelnames + 1)
    assert _telling(AuditLog, AuditLog.gebeurtenis == "melding_aanmelding") == 1


@pytest.mark.own_app  # it adds a route
def test_a_failing_view_saves_neither_its_change_nor_its_audit(app, client, world):
    """Through a request: the view's change and its audit record, then an error (a 500)."""
    from portal.web import audit as web_audit

    vraag_id = _vraag(world)
    app.config["RERAISE_ERRORS"] = False

    @app.get("/faalt-na-wijziging")
    def faalt_na_wijziging():
        with transaction():
            contact.beantwoord(vraag_id, "Ja.", wie=web_audit.wie(), toegang=web_audit.toegang())
            raise RuntimeError("after the domain change")

    PUBLIC_ENDPOINTS.add("faalt_na_wijziging")
    try:
        assert client.get("/faalt-na-wijziging").status_code == 500
    finally:
        PUBLIC_ENDPOINTS.discard("faalt_na_wijziging")
    assert db.session.get(ContactVraag, vraag_id).status == "open"
    assert _telling(AuditLog, AuditLog.gebeurtenis == "contactvraag_beantwoord") == 0


def test_the_domain_never_commits_or_rolls_back():
    """Only the edge (views, CLI, tasks, the upload loop) ends a transaction; the domain undoes
    its own part with a savepoint."""
    gevonden = [
        f"{pad.name}:{nummer}"
        for pad in sorted(DOMAIN.glob("*.py"))
        for nummer, regel in enumerate(pad.read_text().splitlines(), start=1)
        if re.search(r"\.(commit|rollback)\(", regel)
    ]
    assert gevonden == []


def test_the_audit_writer_knows_nothing_of_flask():
    """Who and where are passed in; ``portal.web.audit`` takes them from the request."""
    boom = ast.parse((DOMAIN / "audit.py").read_text())
    modules = [alias.name for node in ast.walk(boom) if isinstance(node, ast.Import) for alias in node.names]
    modules += [node.module or "" for node in ast.walk(boom) if isinstance(node, ast.ImportFrom)]
    assert not [
        m for m in modules if m.split(".")[0] in ("flask", "flask_login") or m.startswith("portal.web")
    ], modules
