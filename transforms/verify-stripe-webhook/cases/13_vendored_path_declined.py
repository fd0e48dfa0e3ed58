# case-path: third_party/stripe/_webhook_compat.py
# A file inside a vendored `stripe/` package (this case runs as
# third_party/stripe/_webhook_compat.py) is not edited, even where the same code elsewhere is
# fixed. Expected: a display-only finding, no change.
import json

import stripe
from flask import request

endpoint_secret = "whsec_vendored"


def parse_webhook():
    event = stripe.Event.construct_from(json.loads(request.data), stripe.api_key)
    if event.type == "payment_intent.succeeded":
        return event
    return None
