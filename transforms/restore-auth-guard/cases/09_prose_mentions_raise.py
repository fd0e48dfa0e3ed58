# Prose comments that happen to contain raise/abort. Expected: nothing restored; the comment
# that starts like code but is prose is reported as declined (not complete Python).
from fastapi import HTTPException


def lookup(symbol, user):
    # raise HTTPException for unknown symbols?
    if symbol is None:
        return None
    # We used to abort(403) here, but the gateway checks permissions now.
    return {"symbol": symbol}
