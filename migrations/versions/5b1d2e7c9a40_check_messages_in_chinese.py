"""bilingual (helper bilingual): an automated check's reason kept in Chinese beside the English

Checks give their reason in both languages when they run; the Chinese goes into
application_checks.message_zh. Rows written before keep NULL and pages show their English.

Revision ID: 5b1d2e7c9a40
Revises: 1892ceb25322
Create Date: 2026-12-05 23:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '5b1d2e7c9a40'
down_revision: Union[str, Sequence[str], None] = '1892ceb25322'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('application_checks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message_zh', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('application_checks', schema=None) as batch_op:
        batch_op.drop_column('message_zh')
