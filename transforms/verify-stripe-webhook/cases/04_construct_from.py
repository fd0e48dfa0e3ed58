# `stripe.Event.construct_from(json.loads(payload), stripe.api_key)` builds a StripeObject from
# unverified JSON. Expected: replaced by the verified event from construct_event; `import json`
# is no longer used and goes. The secret is the settings attribute defined in the project (here
# the same file), not the look-alike `STRIPE_WEBHOOK_SECRET_NAME` (inferred: unsafe).
import json

import stripe
from flask import Flask, abort, request

from config import settings

app = Flask(__name__)
STRIPE_WEBHOOK_SECRET_NAME = "whsec"


@app.post("/webhooks/stripe")
def webhook():
    payload = request.get_data()
    sig_header = request.headers.get("Stripe-Signature")
    event = stripe.Event.construct_from(json.loads(payload), stripe.api_key)
    if event.type == "payment_intent.succeeded":
        fulfil(event.data.object)
    return "", 200


def fulfil(intent):
    pass


class Settings:
    STRIPE_WEBHOOK_SECRET: str = ""
