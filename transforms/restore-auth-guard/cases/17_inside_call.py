# A commented alternative inside a multi-line call is not a statement. Expected: declined.
from fastapi.responses import JSONResponse


def summary(user, payload):
    return JSONResponse(
        content=payload,
        # status_code=403 if user.tier == "free" else 200,
    )
