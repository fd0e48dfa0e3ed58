# `await resp.json()` of an HTTP client response is not the request body (only the handler's
# own request parameter is): the handler's real parse is the one verified, and the response
# parse neither gets a verification nor blocks the fix as a "second parse".
import httpx
import stripe
from fastapi import FastAPI, Request

app = FastAPI()
STRIPE_WEBHOOK_SECRET = "whsec_client"


@app.post("/stripe/webhook")
async def stripe_webhook(request: Request):
    async with httpx.AsyncClient() as client:
        resp = await client.get("https://status.example.com/stripe")
    status = await resp.json()
    if status["type"] == "maintenance":
        return {"queued": True}
    event = await request.json()
    if event["type"] == "invoice.paid":
        stripe.Customer.modify(event["data"]["object"]["customer"], metadata={"paid": "yes"})
    return {"ok": True}
