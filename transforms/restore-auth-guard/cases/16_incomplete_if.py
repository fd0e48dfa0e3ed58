# An `if` whose body was lost: incomplete text. Expected: declined, no edit.
from fastapi import HTTPException


def report(user):
    # if user.role != "admin":  # 403 for non-admins
    return {"report": []}
