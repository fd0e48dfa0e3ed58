# CRIT-S1 (review, src/webhooks.py): the webhook signing secret falls back to a literal.
# Expected: `if not signing_secret: raise ValueError("signing_secret is required")` is inserted
# before the assignment (same indentation), and the `or "..."` fallback is dropped.
import hashlib
import hmac


class WebhookVerifier:
    def __init__(self, signing_secret=None, tolerance=300):
        self.tolerance = tolerance
        self.signing_secret = signing_secret or "default-secret-change-in-prod"

    def verify(self, body: bytes, signature: str) -> bool:
        expected = hmac.new(self.signing_secret.encode(), body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, signature)
