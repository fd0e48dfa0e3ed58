# CRIT-Q1 as the review shows it (quant backend, app/api/v1/subscriptions.py): verification is
# commented out and the event is `json.loads(body)`. Expected: a safe fix (body, header and
# secret all come from the code) that verifies with construct_event before the parse, answers
# 400 via HTTPException (imported), and deletes the commented-out lines.
import json

import stripe
from fastapi import APIRouter, Depends, Header, Request
from sqlalchemy.orm import Session

from app.core.config import settings
from app.db.session import get_db
from app.services import subscription_service

router = APIRouter()


@router.post("/webhook")
async def stripe_webhook(
    request: Request,
    stripe_signature: str = Header(None),
    db: Session = Depends(get_db),
):
    """Handle Stripe webhook events."""
    body = await request.body()

    # webhook_secret = settings.STRIPE_WEBHOOK_SECRET
    # stripe.Webhook.construct_event(body, stripe_signature, webhook_secret)
    event = json.loads(body)  # Accepts ANY JSON as valid Stripe event

    if event["type"] == "checkout.session.completed":
        session = event["data"]["object"]
        subscription_service.activate(db, session["client_reference_id"], session.get("subscription"))
    elif event["type"] == "customer.subscription.deleted":
        subscription_service.cancel(db, event["data"]["object"]["id"])

    return {"status": "success"}
