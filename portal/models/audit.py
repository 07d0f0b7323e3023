"""The audit log (NEN 7513 as the model). Append-only from the application's side."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, JSON, CheckConstraint, String, event
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import Model
from portal.models.types import UTCDateTime, utcnow


class AuditLog(Model):
    """Who did what to whose personal data, when, through which access point."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    tijd: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    gebeurtenis: Mapped[str] = mapped_column(String(60))
    actie: Mapped[str] = mapped_column(String(10))  # create | read | update | delete | export | login
    gebruiker_id: Mapped[int | None] = mapped_column(index=True)
    rollen: Mapped[str | None] = mapped_column(String(60))
    organisatie_id: Mapped[int | None]
    contract_nummer: Mapped[str | None] = mapped_column(String(20))
    relatienummers: Mapped[list] = mapped_column(JSON, default=list)
    route: Mapped[str | None] = mapped_column(String(200))
    bron: Mapped[str | None] = mapped_column(String(100))
    uitkomst: Mapped[str] = mapped_column(String(20), default="ok")
    details: Mapped[dict] = mapped_column(JSON, default=dict)

    __table_args__ = (
        CheckConstraint(
            "actie IN ('create', 'read', 'update', 'delete', 'export', 'login', 'logout', 'access')",
            name="ck_audit_actie",
        ),
    )


# The database itself refuses UPDATE and DELETE on the audit log.
_SQLITE_TRIGGERS = [
    """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
    """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
       BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END""",
]
_POSTGRES_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit_log is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
       FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()""",
]
APPEND_ONLY_DDL = {"sqlite": _SQLITE_TRIGGERS, "postgresql": _POSTGRES_TRIGGERS}

for _dialect, _statements in APPEND_ONLY_DDL.items():
    for _sql in _statements:
        event.listen(AuditLog.__table__, "after_create", DDL(_sql).execute_if(dialect=_dialect))
