# Verification chosen by something other than a configured secret (here: debug mode). Removing
# the trusting branch would change what debug deployments do for reasons remedy cannot see, so
# the finding is reported without a fix.
import json
import os

import stripe
from flask import Flask, jsonify, request

app = Flask(__name__)
webhook_secret = os.environ["STRIPE_WEBHOOK_SECRET"]


@app.route("/stripe-webhook", methods=["POST"])
def stripe_webhook():
    payload = request.data
    if not app.debug:
        signature = request.headers.get("stripe-signature")
        try:
            event = stripe.Webhook.construct_event(payload, signature, webhook_secret)
        except Exception as e:
            return jsonify({"error": str(e)}), 400
    else:
        event = json.loads(payload)

    if event["type"] == "checkout.session.completed":
        print("paid")
    return jsonify({"status": "success"})
