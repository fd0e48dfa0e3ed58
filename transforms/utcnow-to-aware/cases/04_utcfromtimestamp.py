# Variant 4: `datetime.utcfromtimestamp(ts)` -> `datetime.fromtimestamp(ts, tz=timezone.utc)`.
# Expected: Safe in `describe` (only formatted without %z/%Z); Unsafe in `to_datetime`
# (returned to callers).
from datetime import datetime


def describe(payload):
    created = datetime.utcfromtimestamp(payload["created"])
    return {"created": created.strftime("%Y-%m-%d %H:%M:%S"), "weekday": created.weekday()}


def to_datetime(ts):
    return datetime.utcfromtimestamp(ts)
