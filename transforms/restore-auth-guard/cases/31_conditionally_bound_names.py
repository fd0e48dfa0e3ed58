# Names that are bound, but not when the restored guard runs: `user` is assigned only for POST
# requests (a GET would hit UnboundLocalError, a 500), and `AdminUser` is imported only under
# `if TYPE_CHECKING:`. Expected: both declined; the guard whose name every branch binds is
# restored.
from typing import TYPE_CHECKING

from flask import Flask, abort, request

if TYPE_CHECKING:
    from app.models import AdminUser

app = Flask(__name__)


@app.route("/settings", methods=["GET", "POST"])
def settings():
    if request.method == "POST":
        user = request.environ["app.user"]
    # if not user.is_staff:
    #     abort(403)
    return "settings"


def admin_only(user):
    # if not isinstance(user, AdminUser):
    #     abort(403)
    return user


@app.route("/profile")
def profile():
    if "app.user" in request.environ:
        user = request.environ["app.user"]
    else:
        user = None
    # if user is None or not user.is_active:
    #     abort(401)
    return "profile"
