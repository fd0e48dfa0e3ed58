# The serializer keeps writing pickle (an explicit protocol: declined), so removing the readers'
# pickle fallbacks turns every entry into a miss (inner handler) or an error (re-raise).
# Expected: the first fallback removal is Unsafe, saying the write on line 17 stays pickle; the
# second is declined; `import pickle` stays.
import json
import pickle


class RedisCache:
    def __init__(self, client):
        self.redis = client

    def set(self, key, value, ttl=300):
        self.redis.setex(key, ttl, self._serialize(value))

    def _serialize(self, value):
        return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)

    def _deserialize(self, data):
        try:
            return json.loads(data)
        except ValueError:
            try:
                return pickle.loads(data)
            except Exception:
                return None

    def _deserialize_strict(self, data):
        try:
            return json.loads(data)
        except ValueError:
            return pickle.loads(data)
