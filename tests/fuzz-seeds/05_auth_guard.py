from fastapi import APIRouter, Depends, HTTPException

from api.auth import get_current_user

router = APIRouter()


@router.get("/options/flow")
async def options_flow(symbol: str, user=Depends(get_current_user)):
    user_tier = user.tier
    # if user_tier not in ['premium', 'enterprise']:
    #     raise HTTPException(status_code=403, detail="Premium subscription required")
    return {"symbol": symbol, "tier": user_tier}
