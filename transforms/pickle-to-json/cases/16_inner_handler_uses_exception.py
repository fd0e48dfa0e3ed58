# The inner handler chains the exception it caught (`raise ... from exc`). Unwrapping the inner
# `try` would leave `exc` unbound (the outer handler binds no name): a NameError on every
# undecodable entry. Expected: declined, naming `exc`; no edit.
import json
import pickle


class CacheError(Exception):
    pass


class RedisCache:
    def __init__(self, client):
        self.redis = client

    def _deserialize(self, data):
        try:
            return json.loads(data)
        except ValueError:
            try:
                return pickle.loads(data)
            except Exception as exc:
                raise CacheError("unreadable cache entry") from exc
