# Annotated parses (`event: dict = json.loads(body)`, `event: stripe.Event =
# stripe.Event.construct_from(...)`) are unverified parses too. The dict parse stays after the
# verification; the construct_from is replaced and keeps its annotation.
import json
from typing import Any

import stripe
from django.conf import settings
from django.http import HttpResponse, JsonResponse

STRIPE_WEBHOOK_SECRET = settings.STRIPE_WEBHOOK_SECRET


def stripe_webhook(request):
    payload = request.body
    event: dict[str, Any] = json.loads(payload)
    if event["type"] == "invoice.paid":
        pass
    return JsonResponse({"ok": True})


def stripe_webhook_objects(request):
    event: stripe.Event = stripe.Event.construct_from(json.loads(request.body), stripe.api_key)
    if event.type == "invoice.paid":
        pass
    return HttpResponse(status=200)
