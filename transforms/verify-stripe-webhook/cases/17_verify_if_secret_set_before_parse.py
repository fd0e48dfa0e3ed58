# "Verify only if a secret is set", with the check before the parse and no else: when the
# secret is unset the body is trusted. The `if` goes and verification always runs (Unsafe:
# deployments without the secret stop accepting events); the parse stays.
import json
import os

import stripe
from flask import Flask, request

app = Flask(__name__)
WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET")


@app.route("/stripe/webhook", methods=["POST"])
def stripe_webhook():
    payload = request.get_data()
    if WEBHOOK_SECRET:
        sig_header = request.headers.get("Stripe-Signature")
        try:
            stripe.Webhook.construct_event(payload, sig_header, WEBHOOK_SECRET)
        except (ValueError, stripe.SignatureVerificationError):
            return "bad signature", 400
    event = json.loads(payload)
    if event["type"] == "invoice.paid":
        pass
    return "", 200
