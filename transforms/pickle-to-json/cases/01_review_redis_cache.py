# The review's RedisCache (CRIT-D3): `_deserialize` is the exact snippet from the review, with a
# matching `_serialize`. Expected (Safe): the inner `try: return pickle.loads(data)` goes and the
# handler returns None (a cache miss); the serializer re-raises instead of writing pickle (its
# only caller catches Exception, so such values are simply not cached); `import pickle` goes.
import json
import logging
import pickle
from typing import Any

import redis

logger = logging.getLogger(__name__)


class RedisCache:
    def __init__(self, url: str = "redis://localhost:6379/0", client=None):
        self.redis = client if client is not None else redis.Redis.from_url(url)

    def _serialize(self, value: Any) -> bytes:
        try:
            return json.dumps(value).encode('utf-8')
        except (TypeError, ValueError):
            return pickle.dumps(value)

    def _deserialize(self, data: bytes) -> Any:
        try:
            return json.loads(data.decode('utf-8'))
        except (json.JSONDecodeError, UnicodeDecodeError):
            try:
                return pickle.loads(data)  # REMOTE CODE EXECUTION RISK
            except:
                return None

    def get(self, key: str) -> Any:
        data = self.redis.get(key)
        if data is None:
            return None
        return self._deserialize(data)

    def set(self, key: str, value: Any, ttl: int = 300) -> bool:
        try:
            self.redis.setex(key, ttl, self._serialize(value))
            return True
        except Exception as exc:
            logger.warning("cache set failed for %s: %s", key, exc)
            return False
