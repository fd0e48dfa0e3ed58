# Compared or subtracted with a value remedy knows is naive: the fix must not raise TypeError.
# Expected: a naive constant written in place (`datetime.min`, `datetime(1970, 1, 1)`,
# `datetime.strptime(s, "<no %z>")`) is made aware by the same fix with
# `.replace(tzinfo=timezone.utc)`, which keeps every result exactly (Safe). A module-level
# name holding one (`EPOCH`) and a naive *local* time (`datetime.now()`,
# `datetime.fromtimestamp(ts)`) decline: they must be changed by hand. In a chained comparison
# the constant is also compared with its other neighbour, so that declines too.
# tests/utcnow_to_aware.rs runs the fixed functions and compares them with the originals.
from datetime import datetime, timedelta

EPOCH = datetime(1970, 1, 1)


def epoch_seconds():
    return (datetime.utcnow() - datetime(1970, 1, 1)).total_seconds() > 1e9


def never_seen(last_seen):
    return (last_seen or datetime.min) < datetime.utcnow()


def after_launch():
    return datetime.utcnow() > datetime.strptime("2020-01-01", "%Y-%m-%d") + timedelta(days=1)


def before_max():
    now = datetime.utcnow()
    return now < datetime.max


def since_epoch_constant():
    return (datetime.utcnow() - EPOCH).days


def mixes_local_time():
    return datetime.utcnow() - datetime.now()


def in_a_chain(deadline):
    return datetime(2000, 1, 1) < datetime.utcnow() < deadline
