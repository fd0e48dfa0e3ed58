# Guard-like text inside a docstring and a string is not a comment. Expected: no findings.
from fastapi import HTTPException


def endpoint(user_tier):
    """Premium endpoint.

    # if user_tier not in ['premium', 'enterprise']:
    #     raise HTTPException(status_code=403, detail="Premium subscription required")
    """
    example = """
    # if user_tier != 'premium':
    #     raise HTTPException(403)
    """
    return example
