# Flask: `# @login_required` sits above `@app.route`. Restored in place it would wrap the
# function after Flask registered the unwrapped one, so the route would stay open.
# Expected: the decorator is moved below the route decorator (the comment line goes away),
# also when another decorator sits between the route and the function.
from flask import Flask
from flask_login import login_required


def permission_required(perm):
    def wrap(f):
        return f
    return wrap


def cache_page(f):
    return f


app = Flask(__name__)


# @login_required
@app.route("/admin/users", methods=["GET", "POST"])
def admin_users():
    return "users"


# @permission_required("reports.view")
@app.route("/reports")
@cache_page
def reports():
    return "reports"
