# Regression (found by the property test): two unverified parses in one handler, the second
# inside `if event is None:` ending in `return ..., 400`. remedy used to fix both and then
# unwrap the `if`, so the handler always answered 400. Now both are reported, neither fixed.
import os

import stripe
from flask import Flask, jsonify, request

app = Flask(__name__)
stripe.api_key = os.environ["STRIPE_SECRET_KEY"]
endpoint_secret = os.environ.get("STRIPE_WEBHOOK_SECRET")


@app.route("/stripe/webhook", methods=["POST"])
def stripe_webhook():
    event = request.get_json()
    if event is None:
        payload = request.get_data()
        sig_header = request.headers.get("Stripe-Signature")
        event = stripe.Event.construct_from(json.loads(payload), stripe.api_key)
        return jsonify({"error": "no body"}), 400

    if event["type"] == "invoice.paid":
        mark_paid(event["data"]["object"]["id"])
    return jsonify(success=True), 200


def mark_paid(invoice_id):
    pass
