# A cache read next to a model load in the same file. Expected: the cache read switches to
# json.loads (Unsafe), the model load is declined, and `import pickle` stays (still used).
import pickle

import redis

r = redis.Redis()


def cached_scores(user_id):
    raw = r.get(f"scores:{user_id}")
    return pickle.loads(raw) if raw else None


def load_model(path):
    with open(path, "rb") as f:
        return pickle.load(f)
