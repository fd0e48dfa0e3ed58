# An explicit `protocol=` in a cache write. Expected: the write is declined (deliberate binary
# format) and the read too (reader and writer must switch together). No edits.
import pickle

import redis

r = redis.Redis()


def put(key, value):
    r.set(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def get(key):
    raw = r.get(key)
    return pickle.loads(raw) if raw is not None else None
