# No webhook signing secret exists anywhere (no commented-out call, no settings attribute, no
# environment variable). Expected: declined, telling the user to define one.
import json

import stripe
from flask import Flask, request

app = Flask(__name__)


@app.route("/webhook", methods=["POST"])
def webhook():
    event = json.loads(request.data)
    if event["type"] == "charge.refunded":
        stripe.Refund.list(charge=event["data"]["object"]["id"])
    return "", 204
