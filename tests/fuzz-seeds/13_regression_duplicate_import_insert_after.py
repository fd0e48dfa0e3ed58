# Regression seed (property test): duplicated imports, an aliased import edited and `import json`
# inserted after them; blank lines around the insertion align either way.
# Expected: `DT.now(timezone.utc)`, `timezone` added to the aliased import line.
from datetime import datetime as DT
from datetime import datetime as DT
from datetime import datetime as DT
from datetime import datetime as DT


def report_name():
    return "report-" + DT.utcnow().strftime("%Y%m%d") + ".csv"
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
