# An unconditional raise, and a deny under a condition that is not about authorization.
# Expected: both declined, no edits.
from fastapi import HTTPException


def legacy_endpoint():
    # raise HTTPException(status_code=403, detail="Endpoint retired")
    return "still here"


def bulk_upload(items):
    # if len(items) > 100:
    #     raise HTTPException(status_code=403, detail="Too many items")
    return len(items)
