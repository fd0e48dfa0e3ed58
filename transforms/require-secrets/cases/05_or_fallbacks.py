# `or` fallbacks: an environment lookup (through `import os as _os`) and secret-named
# parameters. Expected: `_os.getenv("API_TOKEN") or "..."` becomes `_os.environ["API_TOKEN"]`;
# `password or "admin"` in a function gets a ValueError guard (tab indentation kept); a
# fallback inside a lambda and one on a one-line `if` are declined; `cache_key or "default"`
# (a lookup key, not a secret) and `region or "us-east-1"` are untouched.
import os as _os

API_TOKEN = _os.getenv("API_TOKEN") or "local-token"


def connect(user, password=None, region=None, cache_key=None):
	password = password or "admin"
	region = region or "us-east-1"
	cache_key = cache_key or "default"
	return user, password, region, cache_key


def make_client(token=None):
	factory = lambda: token or "anon-token"
	if token is None: token = token or "fallback-token"
	return factory, token
