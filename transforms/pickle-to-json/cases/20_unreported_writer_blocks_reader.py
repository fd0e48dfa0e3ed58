# A pipeline writes pickle in a function that is not recognisably cache code (so the write is not
# reported), while the reader is recognised. Converting the reader alone would make it fail on
# every entry the pipeline wrote. Expected: the read is declined, naming the write's line.
import pickle

import redis

r = redis.Redis()


def warm(items):
    pipe = r.pipeline()
    for key, value in items.items():
        pipe.set(key, pickle.dumps(value))
    pipe.execute()


def read(key):
    return pickle.loads(r.get(key))
