"""staged list imports and verified compliance profiles

Revision ID: 2e507ccffbac
Revises: 66023bb79804
Create Date: 2026-12-05 12:40:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '2e507ccffbac'
down_revision: Union[str, Sequence[str], None] = '66023bb79804'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.add_column('screening_list_versions', sa.Column(
        'staged_at', sa.DateTime(timezone=True), nullable=True,
        comment='set while the import is still writing (the time of its last batch); null once in force'))
    # Existing profiles start with nothing verified: an officer verifies before a general licence.
    with op.batch_alter_table('compliance_profiles') as batch:
        batch.add_column(sa.Column('verified_values', sa.JSON(), nullable=False, server_default=sa.text("'{}'"),
                                   comment="{fact: value} as an officer last verified them; a fact that differs is unverified"))
        batch.add_column(sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('verified_by', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('verified_by_name', sa.String(length=120), nullable=True))
        batch.create_foreign_key(op.f('fk_compliance_profiles_verified_by_users'), 'users', ['verified_by'], ['id'])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('compliance_profiles') as batch:
        batch.drop_constraint(op.f('fk_compliance_profiles_verified_by_users'), type_='foreignkey')
        batch.drop_column('verified_by_name')
        batch.drop_column('verified_by')
        batch.drop_column('verified_at')
        batch.drop_column('verified_values')
    op.execute("DELETE FROM screening_entities WHERE version_id IN "
               "(SELECT id FROM screening_list_versions WHERE staged_at IS NOT NULL)")
    op.execute("DELETE FROM screening_list_versions WHERE staged_at IS NOT NULL")
    with op.batch_alter_table('screening_list_versions') as batch:
        batch.drop_column('staged_at')
