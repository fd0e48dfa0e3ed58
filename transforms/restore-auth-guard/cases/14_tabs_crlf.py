# Tabs for indentation and CRLF line endings. Expected: restored with tabs, CRLF kept.
from fastapi import HTTPException


def admin_stats(user):
	if user is not None:
		# if user.role != "admin":
		#     raise HTTPException(status_code=403, detail="Admins only")
		return {"stats": 1}
	return None
