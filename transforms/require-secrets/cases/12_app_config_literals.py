# Literal secrets assigned to Flask config inside an app factory, in a file without `import os`.
# Expected: both become `os.environ["SECRET_KEY"]` and one `import os` line is added;
# SESSION_COOKIE_NAME is untouched.
from flask import Flask


def create_app():
    app = Flask(__name__)
    app.config["SECRET_KEY"] = "super-secret"
    app.secret_key = "super-secret"
    app.config["SESSION_COOKIE_NAME"] = "session"
    return app
