# The guard was commented out above the function's docstring. Restored there, the docstring
# would become a plain string expression (FastAPI shows it as the endpoint's description).
# Expected: declined.
from fastapi import APIRouter, HTTPException

router = APIRouter()


@router.get("/signals")
def signals(user_tier: str):
    # if user_tier != "premium":
    #     raise HTTPException(status_code=403)
    """Premium signals. Shown in the OpenAPI docs."""
    return []
