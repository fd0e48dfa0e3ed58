import json
import pickle
from typing import Any


class RedisCache:
    def _serialize(self, value: Any) -> bytes:
        try:
            return json.dumps(value).encode("utf-8")
        except TypeError:
            return pickle.dumps(value)

    def _deserialize(self, data: bytes) -> Any:
        try:
            return json.loads(data.decode('utf-8'))
        except (json.JSONDecodeError, UnicodeDecodeError):
            try:
                return pickle.loads(data)  # REMOTE CODE EXECUTION RISK
            except:
                return None
