# Flask code imports werkzeug's `HTTPException` (for error handlers). Its constructor takes
# `(description, response)`, not a status: `HTTPException(status_code=403)` raises TypeError, a
# 500. Expected: that guard is declined, naming `werkzeug.exceptions.HTTPException`; a guard
# raising werkzeug's `Forbidden` is restored.
from flask import Flask, g
from werkzeug.exceptions import Forbidden, HTTPException

app = Flask(__name__)


@app.errorhandler(HTTPException)
def handle(exc):
    return {"error": exc.description}, exc.code


@app.route("/admin")
def admin():
    # if not g.user.is_admin:
    #     raise HTTPException(status_code=403, detail="Admins only")
    return "admin"


@app.route("/billing")
def billing():
    # if g.user.role not in ("owner", "billing"):
    #     raise Forbidden("billing role required")
    return "billing"
