# Variant 7: pytz's `tz.fromutc(naive)` / `pytz.utc.localize(naive)` reject aware datetimes.
# Expected: `EASTERN.fromutc(datetime.utcnow())` -> `datetime.now(EASTERN)` and
# `pytz.timezone(...).fromutc(datetime.utcfromtimestamp(ts))` ->
# `datetime.fromtimestamp(ts, pytz.timezone(...))`, Safe (the result was aware before and
# is identical); `pytz.utc.localize(datetime.utcnow())` -> `datetime.now(pytz.utc)`;
# `tz.fromutc(...)` with an unknown `tz` is Unsafe (it assumes a tzinfo); localizing into
# another zone is declined.
from datetime import datetime

import pytz

EASTERN = pytz.timezone("US/Eastern")


def local_now():
    return EASTERN.fromutc(datetime.utcnow())


def local_from_ts(ts):
    return pytz.timezone("Europe/Paris").fromutc(datetime.utcfromtimestamp(ts))


def utc_now():
    return pytz.utc.localize(datetime.utcnow())


def in_zone(tz):
    return tz.fromutc(datetime.utcnow())


def wrong_zone():
    return EASTERN.localize(datetime.utcnow())
