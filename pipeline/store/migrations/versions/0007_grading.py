"""grading: expert pool, teams to grade, draws, groups, material and presentation scores, graded lists

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 21:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0004"  # chained after the mail intake at merge
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "grading_experts",
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("unit", sa.Text(), nullable=False),
        sa.Column("company", sa.Text(), nullable=False),
        sa.Column("specialty", sa.Text(), nullable=False),
        sa.Column("appointed_from", sa.Date(), nullable=False),
        sa.Column("appointed_to", sa.Date(), nullable=False),
        sa.Column("contact", sa.Text(), nullable=False),
        sa.Column("registered", sa.Boolean(), nullable=False),
        sa.Column("avoid", sa.JSON(), nullable=False),
        sa.Column("account", sa.String(length=150), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key"),
        sa.UniqueConstraint("account"),
    )
    op.create_table(
        "grading_teams",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=200), nullable=False),
        sa.Column("team", sa.Text(), nullable=False),
        sa.Column("recommender", sa.Text(), nullable=False),
        sa.Column("company", sa.Text(), nullable=False),
        sa.Column("disqualified", sa.Boolean(), nullable=False),
        sa.Column("absent", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year", "team_id", name="uq_grading_team"),
    )
    op.create_index("ix_grading_teams_year", "grading_teams", ["year"])
    op.create_table(
        "grading_draws",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("drawn_on", sa.Date(), nullable=False),
        sa.Column("group_count", sa.Integer(), nullable=False),
        sa.Column("group_size", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("request", sa.JSON(), nullable=False),
        sa.Column("groups", sa.JSON(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("drawn_by", sa.Text(), nullable=False),
        sa.Column("drawn_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_grading_draws_year", "grading_draws", ["year"])
    op.create_table(
        "grading_groups",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("no", sa.Integer(), nullable=False),
        sa.Column("draw_id", sa.Integer(), nullable=False),
        sa.Column("leader", sa.String(length=120), nullable=False),
        sa.Column("members", sa.JSON(), nullable=False),
        sa.Column("teams", sa.JSON(), nullable=False),
        sa.Column("submitted_by", sa.Text(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year", "no", name="uq_grading_group"),
    )
    op.create_index("ix_grading_groups_year", "grading_groups", ["year"])
    for table, extra, unique in (
        (
            "grading_material_scores",
            [
                sa.Column("items", sa.JSON(), nullable=False),
                sa.Column("total", sa.String(length=16), nullable=False),
                sa.Column("comment", sa.Text(), nullable=False),
            ],
            "uq_grading_material",
        ),
        (
            "grading_presentation_scores",
            [
                sa.Column("score", sa.String(length=16), nullable=False),
                sa.Column("source", sa.String(length=10), nullable=False),
            ],
            "uq_grading_presentation",
        ),
    ):
        op.create_table(
            table,
            sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
            sa.Column("year", sa.Integer(), nullable=False),
            sa.Column("team_id", sa.String(length=200), nullable=False),
            sa.Column("expert", sa.String(length=120), nullable=False),
            *extra,
            sa.Column("entered_by", sa.Text(), nullable=False),
            sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("year", "team_id", "expert", name=unique),
        )
        op.create_index(f"ix_{table}_year", table, ["year"])
    op.create_table(
        "grading_lists",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("submitted_by", sa.Text(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_by", sa.Text(), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("year"),
    )


def downgrade() -> None:
    for table in ("grading_material_scores", "grading_presentation_scores", "grading_groups", "grading_draws",
                  "grading_teams"):
        op.drop_index(f"ix_{table}_year", table_name=table)
    for table in ("grading_lists", "grading_presentation_scores", "grading_material_scores", "grading_groups",
                  "grading_draws", "grading_teams", "grading_experts"):
        op.drop_table(table)
