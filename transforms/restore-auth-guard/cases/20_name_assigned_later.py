# The guard reads `user_tier`, which is only assigned after the comment: restored there it
# would raise UnboundLocalError on every request. Expected: declined.
from fastapi import HTTPException


def signals(user):
    # if user_tier != "premium":
    #     raise HTTPException(status_code=403)
    user_tier = user.tier
    return user_tier
