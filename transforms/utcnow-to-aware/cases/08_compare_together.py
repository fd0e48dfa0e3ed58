# Variant 8: values compared or subtracted with each other are converted by one fix.
# Expected: in `is_expired` and `seconds_left` both calls are rewritten by the same fix
# (each finding carries both edits), Safe. `is_stale` compares with a database attribute and
# `older_than` subtracts a parameter: Unsafe, and the message says which operand and why.
from datetime import datetime, timedelta


def is_expired(token_payload):
    issued = datetime.utcfromtimestamp(token_payload["iat"])
    return datetime.utcnow() - issued > timedelta(hours=1)


def seconds_left(expires_ts):
    deadline = datetime.utcfromtimestamp(expires_ts)
    now = datetime.utcnow()
    if now > deadline:
        return 0
    return (deadline - now).total_seconds()


def is_stale(record):
    return datetime.utcnow() > record.updated_at


def older_than(cutoff):
    return datetime.utcnow() - cutoff
