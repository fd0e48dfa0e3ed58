# Variant 2b: `import datetime as dt` + `dt.datetime.utcnow()`.
# Expected: `dt.datetime.now(dt.timezone.utc)`; no new import.
import datetime as dt


def header_year():
    return dt.datetime.utcnow().year
