# SECRET_KEY_FILE names where the secret lives, not the secret. Expected: no findings.
import os

SECRET_KEY_FILE = os.getenv("SECRET_KEY_FILE", "/run/secrets/secret_key")
with open(SECRET_KEY_FILE) as handle:
    SECRET_KEY = handle.read().strip()
