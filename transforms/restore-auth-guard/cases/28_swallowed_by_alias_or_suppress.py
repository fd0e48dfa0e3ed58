# The restored denial would be caught before it reaches the client: FastAPI's HTTPException
# is a subclass of starlette's, imported under an alias; `contextlib.suppress(Exception)`
# swallows it. Expected: both declined, naming the handler / the `with`.
import contextlib

from fastapi import HTTPException
from starlette.exceptions import HTTPException as StarletteHTTPException


async def export(user):
    try:
        # if user.plan != "enterprise":
        #     raise HTTPException(status_code=403)
        data = {"rows": []}
    except StarletteHTTPException:
        return {"fallback": True}
    return data


def audit(user):
    with contextlib.suppress(Exception):
        # if not user.is_admin:
        #     raise HTTPException(status_code=403)
        record_access(user)
    return "ok"


def record_access(user):
    return user
