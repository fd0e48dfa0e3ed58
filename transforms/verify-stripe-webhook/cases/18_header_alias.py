# FastAPI `Header` parameters. `sig: str = Header(None)` reads a header named "sig", not
# Stripe's: it gets alias="Stripe-Signature" (inferred: Unsafe). `stripe_signature` with
# convert_underscores=False reads "stripe_signature", which Stripe never sends: it gets the
# alias too (otherwise every genuine event would get 400).
import json

import stripe
from fastapi import FastAPI, Header, HTTPException, Request

app = FastAPI()
STRIPE_WEBHOOK_SECRET = "whsec_alias"


@app.post("/stripe/webhook")
async def stripe_webhook(request: Request, sig: str = Header(None)):
    body = await request.body()
    event = json.loads(body)
    if event["type"] == "invoice.paid":
        pass
    return {"ok": True}


@app.post("/stripe/webhook-raw-name")
async def stripe_webhook_raw_name(
    request: Request,
    stripe_signature: str = Header(None, convert_underscores=False),
):
    body = await request.body()
    event = json.loads(body)
    if event["type"] == "invoice.paid":
        pass
    return {"ok": True}
