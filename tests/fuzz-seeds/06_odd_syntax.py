# -*- coding: utf-8 -*-
"""Docstring mentioning datetime.utcnow() and pickle.loads(data) in prose only."""
from __future__ import annotations

import datetime, pickle  # two at once


def f(x, /, *args, y: int = 1, **kw) -> "datetime.datetime":
    match x:
        case {"when": when} if when:
            return datetime.datetime.utcnow() if y else None
        case [first, *rest]:
            return pickle.loads(first)
        case _:
            pass
    lam = lambda: datetime.datetime.utcnow()
    z = f"{datetime.datetime.utcnow():%Y} {x!r:>{y}}"
    with open(x) as fh, open(y) as gh:
        return [i async for i in fh] if (n := len(args)) else {k: v for k, v in kw.items()}
