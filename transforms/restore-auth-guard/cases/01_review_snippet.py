# The review's CRIT-D1 snippet (Discovery api/routes/options_flow.py): the premium paywall was
# commented out. Expected: restored at the route body's indentation, unsafe fix, message names
# the condition and the 403.
from fastapi import APIRouter, Depends, HTTPException

from api.auth import get_current_user

router = APIRouter()


@router.get("/options-flow/unusual")
async def unusual_activity(user=Depends(get_current_user)):
    user_tier = user.get("tier", "free")
    # if user_tier not in ['premium', 'enterprise']:
    #     raise HTTPException(status_code=403, detail="Premium subscription required")
    return {"flows": []}
