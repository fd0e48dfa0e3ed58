# Flask: `# @login_required` sits below `@app.route`, where it belongs.
# Expected: restored in place.
from flask import Flask
from flask_login import login_required

app = Flask(__name__)


@app.route("/account")
# @login_required
def account():
    return "account page"
