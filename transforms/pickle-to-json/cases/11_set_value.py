# A set stored in redis with pickle: JSON cannot hold it. Expected: the write is declined
# (display-only, "a set"), and so is the matching read, because converting only the read
# would leave reader and writer on different formats. No edits.
import pickle

import redis

r = redis.Redis()


def remember_tags(user_id, tags):
    tag_set = set(tags)
    r.set(f"tags:{user_id}", pickle.dumps(tag_set))


def recall_tags(user_id):
    raw = r.get(f"tags:{user_id}")
    return pickle.loads(raw) if raw else set()
