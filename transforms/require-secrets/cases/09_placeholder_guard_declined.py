# The module refuses its own placeholder before use. Expected: a display-only finding naming
# the guard's line; no change.
import os

SECRET_KEY = os.environ.get("SECRET_KEY", "change-me")
if SECRET_KEY == "change-me" and os.environ.get("ENV") == "production":
    raise SystemExit("SECRET_KEY must be set in production")
