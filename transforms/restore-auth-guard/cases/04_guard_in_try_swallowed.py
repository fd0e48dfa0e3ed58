# A guard inside `try:` whose `except Exception` would catch the restored HTTPException and
# turn the 403 into a 500. Expected: declined, with the handler named in the reason.
from fastapi import HTTPException


async def export_report(user, report_id):
    try:
        # if user.plan != "enterprise":
        #     raise HTTPException(status_code=403, detail="Enterprise plan required")
        data = build_report(report_id)
    except Exception as exc:
        raise HTTPException(status_code=500, detail="export failed") from exc
    return data


def build_report(report_id):
    return {"id": report_id}
