# Regression (found by the property test): a form feed before a function body's indentation.
# verify-stripe-webhook copied "\f    " as the indentation step and nested its try-block wrongly.
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
        return jsonify({"error": "no body"}), 400

    if event["type"] == "invoice.paid":
        mark_paid(event["data"]["object"]["id"])
    return jsonify(success=True), 200


def mark_paid(invoice_id):
    pass
