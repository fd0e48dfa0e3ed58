# The guard was restored below its comment already. Expected: declined (already restored),
# no edit.
from fastapi import HTTPException


def premium_only(user_tier):
    # if user_tier not in ['premium', 'enterprise']:
    #     raise HTTPException(status_code=403, detail="Premium subscription required")
    if user_tier not in ['premium', 'enterprise']:
        raise HTTPException(status_code=403, detail="Premium subscription required")
    return "ok"
