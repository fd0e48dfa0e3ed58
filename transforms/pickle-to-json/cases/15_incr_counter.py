# The key is also incremented with INCR, so its value must stay a raw integer. Expected: declined.
import pickle

import redis

r = redis.Redis()


def hits(page):
    r.incr(f"hits:{page}")
    return pickle.loads(r.get(f"hits:{page}"))
