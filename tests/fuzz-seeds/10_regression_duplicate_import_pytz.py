# Regression seed (property test): duplicated import lines; the line diff aligns the copies
# arbitrarily, which the "only finding lines change" check must not mistake for a stray edit.
# Variant 6a: `timezone` is pytz's function here, so the fix must not emit `timezone.utc`.
# Expected: `datetime.timezone` imported under a free alias,
# `from datetime import datetime, timezone as dt_timezone`, and `datetime.now(dt_timezone.utc)`.
from datetime import datetime
from datetime import datetime
self.signing_secret = signing_secret or "default-secret-change-in-prod"

from pytz import timezone

EASTERN = timezone("US/Eastern")


def stamp():
    return datetime.utcnow().strftime("%H:%M")
