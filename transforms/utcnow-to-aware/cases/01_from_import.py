# Variant 1: `from datetime import datetime` + `datetime.utcnow()`.
# Expected: each call becomes `datetime.now(timezone.utc)` and `timezone` is added to the
# existing `from datetime import datetime`. Safe where the value is only formatted with a
# zone-free strftime format or reduced to a date; Unsafe (message says why) where it is
# returned to callers who may compare it with naive datetimes.
from datetime import datetime


def log_line(message):
    stamp = datetime.utcnow().strftime("%Y-%m-%d %H:%M:%S")
    return f"[{stamp}] {message}"


def today():
    return datetime.utcnow().date()


def created_at():
    return datetime.utcnow()
