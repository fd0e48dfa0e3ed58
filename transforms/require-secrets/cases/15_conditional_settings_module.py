# A settings module (file name contains "settings") choosing its secret in blocks.
# Expected: the unconditional SECRET_KEY literal is fixed; the assignments inside `if DEBUG:`
# and `except ImportError:` are display-only (conditional), not rewritten.
import os

DEBUG = os.getenv("DEBUG") == "1"

if DEBUG:
    JWT_SECRET = "dev-jwt-secret"
else:
    JWT_SECRET = os.environ["JWT_SECRET"]

try:
    from local_settings import SIGNING_SECRET
except ImportError:
    SIGNING_SECRET = "fallback-signing-secret"

SECRET_KEY = "prod-secret-in-source"
