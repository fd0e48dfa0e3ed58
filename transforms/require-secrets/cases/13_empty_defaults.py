# Empty-string defaults. API_TOKEN is checked right after (fails closed): no finding.
# SENTRY_AUTH_TOKEN has no check: a display-only finding, no change.
import os

API_TOKEN = os.getenv("API_TOKEN", "")
if not API_TOKEN:
    raise RuntimeError("API_TOKEN must be set")

SENTRY_AUTH_TOKEN = os.getenv("SENTRY_AUTH_TOKEN", "")
