# Flask's `abort` imported under an alias, and the common `return abort(403)` spelling.
# Expected: both guards restored (the alias resolves to `flask.abort`).
from flask import Flask, g
from flask import abort as flask_abort

app = Flask(__name__)


@app.route("/admin")
def admin():
    # if not g.user.is_admin:
    #     flask_abort(403)
    return "admin"


@app.route("/reports")
def reports():
    # if not g.user.has_permission("reports.view"):
    #     return flask_abort(403)
    return "reports"
