# `construct_event` runs, but its failure does not stop the handler: the `except` only logs,
# or the call sits on one branch chosen by something other than a secret. The event is built
# anyway. Expected: display-only findings saying why; no change.
import json
import logging

import stripe
from flask import Flask, request

app = Flask(__name__)
log = logging.getLogger(__name__)
endpoint_secret = "whsec_ignored"


@app.route("/stripe/webhook", methods=["POST"])
def stripe_webhook():
    payload = request.get_data()
    sig_header = request.headers.get("Stripe-Signature")
    try:
        stripe.Webhook.construct_event(payload, sig_header, endpoint_secret)
    except stripe.SignatureVerificationError as e:
        log.warning("bad Stripe signature: %s", e)
    event = stripe.Event.construct_from(json.loads(payload), stripe.api_key)
    if event.type == "invoice.paid":
        pass
    return "", 200


@app.route("/stripe/webhook-prod", methods=["POST"])
def stripe_webhook_prod_only():
    payload = request.get_data()
    if not app.debug:
        try:
            stripe.Webhook.construct_event(payload, request.headers["Stripe-Signature"], endpoint_secret)
        except stripe.SignatureVerificationError:
            return "bad signature", 400
    event = json.loads(payload)
    if event["type"] == "invoice.paid":
        pass
    return "", 200
