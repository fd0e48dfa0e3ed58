# FastAPI endpoints often take a `status` query parameter, which shadows `from fastapi import
# status` inside the function: restored there, `status.HTTP_403_FORBIDDEN` would raise
# AttributeError (a 500 for everyone). Expected: that guard is declined, naming the parameter;
# the same guard in a function without the parameter is restored.
from fastapi import APIRouter, Depends, HTTPException, status

from app.deps import current_user

router = APIRouter()


@router.get("/orders")
def list_orders(status: str = "open", user=Depends(current_user)):
    # if not user.is_admin:
    #     raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="Admins only")
    return {"status": status}


@router.get("/orders/export")
def export_orders(user=Depends(current_user)):
    # if not user.is_admin:
    #     raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="Admins only")
    return {"export": []}
