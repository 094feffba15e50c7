"""Import every table module so ``Base.metadata`` is complete (Alembic, tests, app start)."""

from rarex.amendments import models as _amendments  # noqa: F401
from rarex.applications import models as _applications  # noqa: F401
from rarex.core import audit as _audit  # noqa: F401
from rarex.core import ids as _ids  # noqa: F401
from rarex.core import jobs as _jobs  # noqa: F401
from rarex.core.db import Base
from rarex.documents import models as _documents  # noqa: F401
from rarex.licences import models as _licences  # noqa: F401
from rarex.parties import models as _parties  # noqa: F401
from rarex.reports import models as _reports  # noqa: F401
from rarex.screening import models as _screening  # noqa: F401
from rarex.shipments import models as _shipments  # noqa: F401
from rarex.users import models as _users  # noqa: F401

metadata = Base.metadata
