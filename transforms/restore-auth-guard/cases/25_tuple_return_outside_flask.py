# `return body, 403` sets the status only in Flask. In a FastAPI route the tuple is serialized
# as a JSON list with status 200, so "restoring" it denies nothing and changes the response.
# Expected: declined; the JSONResponse form in the same file is restored.
from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from app.deps import current_user

router = APIRouter()


@router.get("/billing")
async def billing(user=Depends(current_user)):
    # if user.role != "owner":
    #     return {"error": "forbidden"}, 403
    return {"ok": True}


@router.get("/invoices")
async def invoices(user=Depends(current_user)):
    # if user.role != "owner":
    #     return JSONResponse({"error": "forbidden"}, status_code=403)
    return {"invoices": []}
