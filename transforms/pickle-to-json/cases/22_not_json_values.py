# Values that are evidently not JSON at the write: JSON would change their type silently (a
# tuple comes back as a list, tuple/int keys become strings) or fail (datetime, Decimal, a class
# instance, a DataFrame). Expected: every write declined with its reason, and the read too
# (readers and writers must switch together); no edit.
import datetime
import pickle
from decimal import Decimal

import pandas as pd
import redis

r = redis.Redis()


class Quote:
    def __init__(self, price):
        self.price = price


def store(key):
    r.set(key + ":pair", pickle.dumps((1, 2)))
    r.set(key + ":grid", pickle.dumps({(0, 0): "origin"}))
    r.set(key + ":ids", pickle.dumps({1: "one"}))
    r.set(key + ":when", pickle.dumps(datetime.datetime.now()))
    r.set(key + ":price", pickle.dumps(Decimal("9.99")))
    r.set(key + ":quote", pickle.dumps(Quote(1)))
    frame = pd.DataFrame({"a": [1]})
    r.set(key + ":frame", pickle.dumps(frame))


def load(key):
    return pickle.loads(r.get(key))
