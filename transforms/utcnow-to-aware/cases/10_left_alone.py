"""Variant 10: nothing here is `datetime.datetime.utcnow`.

Docstrings, comments and strings mentioning datetime.utcnow() are text, user classes with
their own `utcnow` method are not the stdlib, and a local `datetime` shadows the import.
Expected: no findings, no change.
"""
from datetime import datetime

# datetime.utcnow() in a comment
MESSAGE = "call datetime.utcnow() or datetime.utcfromtimestamp(ts) later"


class Clock:
    def utcnow(self):
        return 0

    def utcfromtimestamp(self, ts):
        return ts


def uses_own_clock(clock: Clock):
    return clock.utcnow(), Clock().utcfromtimestamp(3)


def shadowed():
    datetime = Clock()
    return datetime.utcnow()


def started():
    return datetime.now()
