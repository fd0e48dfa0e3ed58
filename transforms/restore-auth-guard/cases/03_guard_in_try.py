# A guard inside `try:` whose handlers re-raise HTTPException before the catch-all.
# Expected: restored inside the try body (the 403 reaches the client).
from fastapi import HTTPException


async def export_report(user, report_id):
    try:
        # if user.plan != "enterprise":
        #     raise HTTPException(status_code=403, detail="Enterprise plan required")
        data = build_report(report_id)
    except HTTPException:
        raise
    except Exception as exc:
        raise HTTPException(status_code=500, detail="export failed") from exc
    return data


def build_report(report_id):
    return {"id": report_id}
