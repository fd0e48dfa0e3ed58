# OPEN (found by the property test, not yet fixed): verify-stripe-webhook, round two, drops
# `if event is None:` and dedents its body, whose last statement is `return ..., 400`: the
# handler then always answers 400. Move this file up into tests/fuzz-seeds/ once fixed.
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
