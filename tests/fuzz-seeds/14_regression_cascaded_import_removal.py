# Regression seed (property test): a nested function's parse and the handler's verify-if-secret
# branch are fixed in two rounds; only the second round sees `import json` unused and removes it.
# Stripe's old sample: parse first, then overwrite with the verified event only when a secret
# is configured. Expected: the unverified parse (with its try) goes and the `if` guard is
# removed, so verification always happens (unsafe).
import json

import stripe
from flask import Flask, jsonify, request

app = Flask(__name__)
endpoint_secret = "whsec_..."


@app.route("/webhook", methods=["POST"])
def webhook():
    event = None
    payload = request.data

    try:
        event = json.loads(payload)
    except json.decoder.JSONDecodeError as e:
        print("Webhook error while parsing basic request." + str(e))
        return jsonify(success=False)
    if endpoint_secret:
        
        def parse_webhook():
            event = stripe.Event.construct_from(json.loads(request.data), stripe.api_key)
        sig_header = request.headers.get("stripe-signature")
        try:
            event = stripe.Webhook.construct_event(payload, sig_header, endpoint_secret)
        except stripe.error.SignatureVerificationError as e:
            print("Webhook signature verification failed." + str(e))
            return jsonify(success=False)

    if event and event["type"] == "payment_intent.succeeded":
        print("Payment succeeded")
    return jsonify(success=True)
