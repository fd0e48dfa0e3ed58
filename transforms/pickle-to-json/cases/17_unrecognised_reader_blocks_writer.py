# The writer is recognised (`r.mset` of a dict comprehension) but the reader is not (`mget` in a
# list comprehension). Converting only the writer would make the remaining `pickle.loads` fail
# on every JSON entry. Expected: both declined (the writer names the reader's line); no edit.
import pickle

import redis

r = redis.Redis()


def put_all(values):
    r.mset({k: pickle.dumps(v) for k, v in values.items()})


def get_all(keys):
    return [pickle.loads(x) for x in r.mget(keys)]
