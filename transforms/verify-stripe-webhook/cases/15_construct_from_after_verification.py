# `construct_from` after a `construct_event` whose failure answers 400 (or propagates): the
# event is already verified. Expected: no findings, no change.
import stripe
from flask import Flask, abort, request

app = Flask(__name__)
endpoint_secret = "whsec_verified"


@app.route("/stripe/webhook", methods=["POST"])
def stripe_webhook():
    payload = request.get_data()
    sig_header = request.headers.get("Stripe-Signature")
    try:
        verified = stripe.Webhook.construct_event(payload, sig_header, endpoint_secret)
    except (ValueError, stripe.SignatureVerificationError):
        abort(400)
    event = stripe.Event.construct_from(verified.to_dict(), stripe.api_key)
    if event.type == "invoice.paid":
        pass
    return "", 200


@app.route("/stripe/webhook-plain", methods=["POST"])
def stripe_webhook_plain():
    verified = stripe.Webhook.construct_event(
        request.get_data(), request.headers.get("Stripe-Signature"), endpoint_secret
    )
    event = stripe.Event.construct_from(verified.to_dict(), stripe.api_key)
    if event.type == "invoice.paid":
        pass
    return "", 200
