# The parsed value does not come from the request: a sample event constant, a form field, a
# cached copy. Verifying it against the Stripe-Signature header would answer 400 to every
# genuine event. Expected: display-only findings; no change. The last handler decodes the
# request's own bytes and is fixed with that variable.
import json

import stripe
from fastapi import FastAPI, Request

app = FastAPI()
STRIPE_WEBHOOK_SECRET = "whsec_sources"
SAMPLE_EVENT = '{"type": "invoice.paid", "data": {"object": {}}}'


@app.post("/stripe/webhook/demo")
async def stripe_webhook_demo(request: Request):
    event = json.loads(SAMPLE_EVENT)
    if event["type"] == "invoice.paid":
        pass
    return {"ok": True}


@app.post("/stripe/webhook/form")
async def stripe_webhook_form(request: Request):
    form = await request.form()
    payload = form["payload"]
    event = json.loads(payload)
    if event["type"] == "invoice.paid":
        pass
    return {"ok": True}


@app.post("/stripe/webhook")
async def stripe_webhook(request: Request):
    text = (await request.body()).decode("utf-8")
    event = json.loads(text)
    if event["type"] == "invoice.paid":
        pass
    return {"ok": True}
