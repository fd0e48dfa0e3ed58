# An enum-style tier check (`user.tier.value == "free"`). Expected: restored; `user` is a
# parameter, `HTTPException` an import, so every name resolves.
from fastapi import HTTPException

from app.models import User


def premium_signals(user: User):
    # if user.tier.value == "free":
    #     raise HTTPException(status_code=403, detail="Upgrade to see signals")
    return compute_signals(user)


def compute_signals(user):
    return []
