# A whole commented-out function (containing a guard). Restoring it is a code change, not a
# guard fix. Expected: declined, no edit.
from fastapi import HTTPException


# def require_admin(user):
#     if not user.is_admin:
#         raise HTTPException(status_code=403, detail="Admins only")
#     return user


def handler(user):
    return user
