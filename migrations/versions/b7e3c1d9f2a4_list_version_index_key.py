"""list version index key (helper scrs): names the persisted match index of each list version

The match index of a list version is built once (at import) and kept in files under
RAREX_DATA_DIR (rarex/screening/index_store.py). Its files are named by this key, a random
value given when the version is staged: a version id alone is reused when a database is
rebuilt, and the checksum alone is shared by two imports of one file with another mapping.
Versions made before this revision have none and are named by id and checksum.

Revision ID: b7e3c1d9f2a4
Revises: 5a42a6956869
Create Date: 2026-12-06 02:30:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = 'b7e3c1d9f2a4'
down_revision: Union[str, Sequence[str], None] = '5a42a6956869'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('screening_list_versions') as batch:
        batch.add_column(sa.Column('index_key', sa.String(length=32), nullable=True,
                                   comment="names this version's persisted match index (screening/index_store.py); "
                                           "unique per row ever made"))


def downgrade() -> None:
    with op.batch_alter_table('screening_list_versions') as batch:
        batch.drop_column('index_key')
