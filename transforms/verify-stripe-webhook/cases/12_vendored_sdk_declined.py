# A vendored copy of the stripe SDK's webhook module (it defines `Webhook` and
# `WebhookSignature`): its `construct_from` is the SDK's own verified path. Expected: a
# display-only finding saying remedy does not edit vendored SDK code; no change.
import hmac
import json
import time
from collections import OrderedDict

import stripe
from stripe.error import SignatureVerificationError


class Webhook(object):
    DEFAULT_TOLERANCE = 300

    @staticmethod
    def construct_event(payload, sig_header, secret, tolerance=DEFAULT_TOLERANCE, api_key=None):
        if hasattr(payload, "decode"):
            payload = payload.decode("utf-8")
        WebhookSignature.verify_header(payload, sig_header, secret, tolerance)
        data = json.loads(payload, object_pairs_hook=OrderedDict)
        event = stripe.Event.construct_from(data, api_key or stripe.api_key)
        return event


class WebhookSignature(object):
    EXPECTED_SCHEME = "v1"

    @classmethod
    def verify_header(cls, payload, header, secret, tolerance=None):
        timestamp, signatures = cls._get_timestamp_and_signatures(header, cls.EXPECTED_SCHEME)
        signed_payload = "%d.%s" % (timestamp, payload)
        expected_sig = cls._compute_signature(signed_payload, secret)
        if not any(hmac.compare_digest(expected_sig, s) for s in signatures):
            raise SignatureVerificationError("No signatures found matching the expected signature", header, payload)
        if tolerance and timestamp < time.time() - tolerance:
            raise SignatureVerificationError("Timestamp outside the tolerance zone", header, payload)
        return True
