# case-path: tests/test_stripe_webhooks.py
# Test code (this case runs as tests/test_stripe_webhooks.py): tests post fixtures and stub
# the SDK, they never receive Stripe's requests. Expected: no findings, no change.
import json

import stripe
from flask import request

from app.main import app

FIXTURE = '{"type": "invoice.paid", "data": {"object": {"customer": "cus_1"}}}'
endpoint_secret = "whsec_test"


def test_stripe_webhook_invoice_paid(client, monkeypatch):
    event = json.loads(FIXTURE)
    monkeypatch.setattr(stripe.Webhook, "construct_event", lambda *a: event)
    assert client.post("/stripe/webhook", data=FIXTURE).status_code == 200


def fake_stripe_webhook():
    event = request.get_json()
    if event["type"] == "invoice.paid":
        return "", 200
    return "", 400
