# A guard calling a function that does not exist in this module. Restoring it would turn
# every request into a 500 (NameError). Expected: declined, naming `is_account_admin`.
from fastapi import HTTPException


def close_account(user, account_id):
    # if not is_account_admin(user):
    #     raise HTTPException(status_code=403, detail="Admins only")
    return {"closed": account_id}
