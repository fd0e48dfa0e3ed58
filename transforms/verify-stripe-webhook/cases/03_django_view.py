# A Django view with `json.loads(request.body)` and a commented-out verification that reads
# the header and the settings secret. Expected: safe fix restoring the header read and using
# settings.STRIPE_WEBHOOK_SECRET, answering HttpResponse(status=400) (HttpResponse added to the
# existing django.http import).
import json

import stripe
from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def stripe_webhook(request):
    payload = request.body
    # sig_header = request.META.get("HTTP_STRIPE_SIGNATURE")
    # event = stripe.Webhook.construct_event(payload, sig_header, settings.STRIPE_WEBHOOK_SECRET)
    event = json.loads(payload)

    if event["type"] == "checkout.session.completed":
        grant_subscription(event["data"]["object"])
    return JsonResponse({"received": True})


def grant_subscription(session):
    pass
