# A TODO explaining why the guard was disabled sits in the same comment run. Expected: the
# prose stays a comment above, only the code lines are restored.
from fastapi import HTTPException


def options_flow(user):
    user_tier = user.tier
    # TODO: re-enable once billing is live
    # if user_tier not in ['premium', 'enterprise']:
    #     raise HTTPException(status_code=403, detail="Premium subscription required")
    return []
