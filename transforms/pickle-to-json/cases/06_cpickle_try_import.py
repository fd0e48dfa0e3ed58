# The Python 2 era `try: import cPickle as pickle / except ImportError: import pickle`.
# Expected (Unsafe): calls switch to json and the whole try/except import block is removed
# (both imports or neither).
try:
    import cPickle as pickle
except ImportError:
    import pickle

import json

from app.redis_client import redis_client


def read_feed(feed_id):
    raw = redis_client.get("feed:%s" % feed_id)
    return pickle.loads(raw) if raw else []


def write_feed(feed_id, items):
    redis_client.setex("feed:%s" % feed_id, 60, pickle.dumps(items))
