# "Verify only if a secret is set, otherwise trust the body": the trusting else-branch goes and
# the verifying branch is dedented into its place (unsafe: deployments without the secret now
# reject events).
import json
import os

import stripe
from flask import Flask, jsonify, request

app = Flask(__name__)
webhook_secret = os.environ.get("STRIPE_WEBHOOK_SECRET")


@app.route("/stripe-webhook", methods=["POST"])
def stripe_webhook():
    payload = request.data
    if webhook_secret:
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
