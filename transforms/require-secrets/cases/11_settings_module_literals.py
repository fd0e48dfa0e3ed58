"""Django-style settings module (its file name contains "settings").

Expected: SECRET_KEY and EMAIL_HOST_PASSWORD are read with `os.environ[...]` and `import os`
is added after the leading imports; DEBUG, SESSION_COOKIE_NAME and CACHE_KEY (a lookup key)
are untouched; GEOCODER_KEY (a bare `_KEY` name) is a display-only finding.
"""
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = 'django-insecure-9x!k2$abc'
DEBUG = False
EMAIL_HOST_PASSWORD = "mail-pass"  # TODO rotate
SESSION_COOKIE_NAME = "sessionid"
CACHE_KEY = "site-cache"
GEOCODER_KEY = "geo-dev-key"
