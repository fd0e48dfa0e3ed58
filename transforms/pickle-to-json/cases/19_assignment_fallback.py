# The pickle fallback assigns instead of returning. Converting it to `json.loads(data)` would
# decode the same bytes that just failed; it is a fallback like `return pickle.loads(data)`.
# Expected (Unsafe): the assignment becomes `raise` (the decoding error propagates), and
# `import pickle` goes.
import json
import pickle


class RedisCache:
    def __init__(self, client):
        self.redis = client

    def get(self, key):
        data = self.redis.get(key)
        if data is None:
            return None
        try:
            value = json.loads(data)
        except ValueError:
            value = pickle.loads(data)
        return value
