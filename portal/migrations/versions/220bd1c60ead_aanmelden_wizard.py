"""aanmelden wizard: number series, wizard drafts, product groups

Revision ID: 220bd1c60ead
Revises: 4c7194112ba9
Create Date: 2026-11-23 15:00:52.515517

"""

from alembic import op
import sqlalchemy as sa
import portal.models.types


# revision identifiers, used by Alembic.
revision = "220bd1c60ead"
down_revision = "4c7194112ba9"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "nummer_reeks",
        sa.Column("naam", sa.String(length=30), nullable=False),
        sa.Column("volgende", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("naam"),
    )
    op.create_table(
        "aanmeld_concept",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("auth_session_id", sa.Integer(), nullable=False),
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("hoofd_deelname_id", sa.Integer(), nullable=True),
        sa.Column("gegevens", sa.JSON(), nullable=False),
        sa.Column("uitkomst", sa.JSON(), nullable=True),
        sa.Column("created_at", portal.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", portal.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("afgerond_op", portal.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["auth_session_id"], ["auth_session.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["contract.id"],
        ),
        sa.ForeignKeyConstraint(
            ["hoofd_deelname_id"],
            ["deelname.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token"),
    )
    with op.batch_alter_table("aanmeld_concept", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_aanmeld_concept_auth_session_id"), ["auth_session_id"], unique=False
        )

    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.add_column(sa.Column("groep", sa.String(length=20), nullable=True))
    # The levels Goed, Beter, Best exclude each other.
    op.execute("UPDATE product SET groep = 'AV' WHERE code LIKE 'AV-%'")


def downgrade():
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.drop_column("groep")

    with op.batch_alter_table("aanmeld_concept", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_aanmeld_concept_auth_session_id"))

    op.drop_table("aanmeld_concept")
    op.drop_table("nummer_reeks")
