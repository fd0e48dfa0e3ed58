# Flask: `json.loads(request.data)` in an async view, with stripe imported under an alias.
# The raw body is `request.data` itself (reused, cached by Flask), the header is read from the
# request, and the alias names the SDK.
import json

import stripe as stripe_sdk
from flask import Flask, request

app = Flask(__name__)
stripe_endpoint_secret = "whsec_async"


@app.post("/stripe/webhook")
async def stripe_webhook():
    event = json.loads(request.data)
    if event["type"] == "invoice.paid":
        stripe_sdk.Customer.modify(event["data"]["object"]["customer"], metadata={"paid": "yes"})
    return "", 200
