# Declines the README lists, one each, and a restored `@admin_required`. Expected, in order:
# the decorator is already live (declined); the `if` body does more than deny (declined); an
# `else` branch (declined); commented code above the guard that it depends on or is nested in
# (both declined, the guard is not restored alone); a guard at module level
# (declined); a guard after `return` (declined); `@login_required` commented together with its
# route (declined); `@login_required` above a class (declined); `@admin_required` restored.
from flask import Flask, abort, g
from flask_login import login_required

from app.auth import admin_required

app = Flask(__name__)


# @login_required
@login_required
def already():
    return "x"


def does_more(user):
    # if not user.is_admin:
    #     g.denied = True
    #     abort(403)
    return "x"


def with_else(user):
    # if not user.is_admin:
    #     abort(403)
    # else:
    #     g.admin = True
    return "x"


def business(user, items):
    # items = [i for i in items if i.visible]
    # if not user.is_admin and len(items) > 10:
    #     abort(403)
    return items


def nested(user, items):
    # for item in items:
    #     if not user.is_admin:
    #         abort(403)
    return items


# if not g.user.is_admin:
#     abort(403)


def after_return(user):
    return "x"
    # if not user.is_admin:
    #     abort(403)


# @login_required
# @app.route("/old")
def old():
    return "old"


# @login_required
class Panel:
    pass


# @admin_required
def admin_panel():
    return "panel"
