# Variant 6a: `timezone` is pytz's function here, so the fix must not emit `timezone.utc`.
# Expected: `datetime.timezone` imported under a free alias,
# `from datetime import datetime, timezone as dt_timezone`, and `datetime.now(dt_timezone.utc)`.
from datetime import datetime

from pytz import timezone

EASTERN = timezone("US/Eastern")


def stamp():
    return datetime.utcnow().strftime("%H:%M")
