# Declined: a helper that parses an event it is handed (not routed, never reads the request:
# it may run after the route verified the event, or in a task, where reading the Flask
# request fails), and a parse of an uncached stream read (verifying first would consume the
# body and the parse would get nothing). Expected: display-only findings; no change.
import json

import stripe
from flask import Flask, request

app = Flask(__name__)
endpoint_secret = "whsec_helper"


def handle_stripe_event(payload):
    event = json.loads(payload)
    if event["type"] == "invoice.paid":
        stripe.Customer.modify(event["data"]["object"]["customer"], metadata={"paid": "yes"})


@app.post("/stripe/webhook")
def stripe_webhook():
    event = json.loads(request.get_data(cache=False))
    if event["type"] == "invoice.paid":
        pass
    return "", 200
