# The handler checks the signature itself with hmac.compare_digest (no construct_event).
# Expected: display-only, left to a person; no change.
import hashlib
import hmac
import json

import stripe
from flask import Flask, abort, request

app = Flask(__name__)
endpoint_secret = "whsec_custom"


@app.route("/stripe/webhook", methods=["POST"])
def stripe_webhook():
    payload = request.get_data()
    header = dict(p.split("=", 1) for p in request.headers.get("Stripe-Signature", "").split(","))
    signed = f"{header.get('t')}.{payload.decode()}".encode()
    expected = hmac.new(endpoint_secret.encode(), signed, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, header.get("v1", "")):
        abort(400)
    event = json.loads(payload)
    if event["type"] == "invoice.paid":
        stripe.Customer.modify(event["data"]["object"]["customer"], metadata={"paid": "yes"})
    return "", 200
