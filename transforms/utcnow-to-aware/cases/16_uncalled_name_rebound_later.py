# An uncalled `datetime.utcnow` is bound where it is written; the `lambda` that replaces it
# looks `datetime` (and `timezone`) up only when it is called. Here `datetime` is rebound to
# the module further down, so by then `datetime.now` would not exist.
# Expected: both references are reported and declined (no fix that fails when called).
from datetime import datetime

from sqlalchemy import Column, DateTime

created_at = Column(DateTime(timezone=True), default=datetime.utcnow)
clock = datetime.utcnow

import datetime  # noqa: E402
