# Flask guards: `abort(403)` and `return ..., 403`. Expected: both restored.
from flask import Flask, abort, g, jsonify

app = Flask(__name__)


@app.route("/admin")
def admin():
    # if not g.user or not g.user.is_admin:
    #     abort(403)
    return "admin"


@app.route("/api/billing")
def billing():
    # if g.user.role not in ("owner", "billing"):
    #     return jsonify(error="forbidden"), 403
    return jsonify(ok=True)
