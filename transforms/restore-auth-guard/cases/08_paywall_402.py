# A 402 paywall with a positional status code. Expected: restored; message says "the 402".
from fastapi import HTTPException


def download_dataset(current_user, dataset_id):
    # if not current_user.has_active_subscription:
    #     raise HTTPException(402, "Payment required")
    return {"dataset": dataset_id}
