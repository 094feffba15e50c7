"""import job phase (helper scale): which step a running import is on

A list import reads the file, then builds the version's search index; the second step takes as
long as the first on a large list, and with one counter the page sat at 100% meanwhile. Each
progress report now names its step, so the page says which one the counts are of
(rarex/core/jobs.py). Jobs of one step (customs files) and jobs made before this revision have
none.

Revision ID: d3a8f06c51e7
Revises: b7e3c1d9f2a4
Create Date: 2026-12-06 18:45:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = 'd3a8f06c51e7'
down_revision: Union[str, Sequence[str], None] = 'b7e3c1d9f2a4'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('import_jobs') as batch:
        batch.add_column(sa.Column('phase', sa.String(length=40), nullable=False, server_default='',
                                   comment='the step that done and total count (a list import: reading, then '
                                           'indexing); empty for a job of one step'))


def downgrade() -> None:
    with op.batch_alter_table('import_jobs') as batch:
        batch.drop_column('phase')
