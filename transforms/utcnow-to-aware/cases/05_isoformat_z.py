# Variant 5: `...isoformat() + "Z"` keeps printing exactly `...Z` (never `...+00:00Z`).
# Expected: `+ "Z"` becomes `.replace("+00:00", "Z")` (same quotes as the literal); in an
# f-string `{...isoformat()}Z` becomes `{...isoformat().replace('+00:00', 'Z')}` (the other
# quote, for Python < 3.12). A zone-free strftime format is unchanged and Safe. A bare
# `.isoformat()` is Unsafe: its text gains `+00:00`. `"{}Z".format(...)` is declined.
# tests/utcnow_to_aware.rs runs these functions before and after the fix and compares.
from datetime import datetime


def event():
    return {"timestamp": datetime.utcnow().isoformat() + "Z"}


def event_single_quotes():
    return {'timestamp': datetime.utcnow().isoformat(timespec='milliseconds') + 'Z'}


def via_variable():
    now = datetime.utcnow()
    return {"at": now.isoformat() + "Z", "day": now.strftime("%Y-%m-%d")}


def in_fstring():
    return f"{datetime.utcnow().isoformat()}Z"


def strftime_z():
    return datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ")


def from_timestamp(ts):
    return datetime.utcfromtimestamp(ts).isoformat() + "Z"


def from_timestamp_fstring(ts):
    return f"created {datetime.utcfromtimestamp(ts).isoformat(sep=' ')}Z!"


def plain_isoformat():
    return {"timestamp": datetime.utcnow().isoformat()}


def template():
    return "{}Z".format(datetime.utcnow().isoformat())
