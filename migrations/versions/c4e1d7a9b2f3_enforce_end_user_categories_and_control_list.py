"""enforce: end-user and end-use categories, special approval, deal reports

Prohibitions (ECL Art. 10; DUR Art. 13) are judged on the end user's category and the end
use's category, both codes of the policy pack's vocabularies (prohibitions.yaml). Existing
parties, party versions, applications and licences get ``unknown``: nobody said what kind of
end user or end use they are, and guessing ``civil`` would hide exactly the deals a prohibition
is about; a deal a prohibition reaches with an unknown category cannot be approved until it is
said. A deal with a control-listed party (ECL Art. 18; DUR Arts. 28-30) records the senior
officer's special approval on the application, and the licence records that a report on the
deal is required; existing rows have neither.

Revision ID: c4e1d7a9b2f3
Revises: afc045a135b7
Create Date: 2026-12-05 18:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'c4e1d7a9b2f3'
down_revision: Union[str, Sequence[str], None] = 'afc045a135b7'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('parties', schema=None) as batch_op:
        batch_op.add_column(sa.Column('end_user_category', sa.String(length=40), server_default='unknown', nullable=False,
                                      comment='policy pack end_user_categories code'))
    with op.batch_alter_table('party_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('end_user_category', sa.String(length=40), server_default='unknown', nullable=False))
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('end_use_category', sa.String(length=40), server_default='unknown', nullable=False))
        batch_op.add_column(sa.Column('special_approved_by', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('special_approved_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('special_approval_listings', sa.JSON(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_applications_special_approved_by_users'), 'users',
                                    ['special_approved_by'], ['id'])
    with op.batch_alter_table('licences', schema=None) as batch_op:
        batch_op.add_column(sa.Column('end_use_category', sa.String(length=40), server_default='unknown', nullable=False))
        batch_op.add_column(sa.Column('report_required', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('report_reason', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('licences', schema=None) as batch_op:
        batch_op.drop_column('report_reason')
        batch_op.drop_column('report_required')
        batch_op.drop_column('end_use_category')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_applications_special_approved_by_users'), type_='foreignkey')
        batch_op.drop_column('special_approval_listings')
        batch_op.drop_column('special_approved_at')
        batch_op.drop_column('special_approved_by')
        batch_op.drop_column('end_use_category')
    with op.batch_alter_table('party_versions', schema=None) as batch_op:
        batch_op.drop_column('end_user_category')
    with op.batch_alter_table('parties', schema=None) as batch_op:
        batch_op.drop_column('end_user_category')
