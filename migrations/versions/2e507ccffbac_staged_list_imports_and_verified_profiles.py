"""staged list imports and verified compliance profiles

Revision ID: 2e507ccffbac
Revises: a29c762f4a3d
Create Date: 2026-12-05 12:40:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '2e507ccffbac'
down_revision: Union[str, Sequence[str], None] = 'a29c762f4a3d'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.add_column('screening_list_versions', sa.Column(
        'staged_at', sa.DateTime(timezone=True), nullable=True,
        comment='set while the import is still writing (the time of its last batch); null once in force'))


def downgrade() -> None:
    """Downgrade schema."""
    op.execute("DELETE FROM screening_entities WHERE version_id IN "
               "(SELECT id FROM screening_list_versions WHERE staged_at IS NOT NULL)")
    op.execute("DELETE FROM screening_list_versions WHERE staged_at IS NOT NULL")
    with op.batch_alter_table('screening_list_versions') as batch:
        batch.drop_column('staged_at')
