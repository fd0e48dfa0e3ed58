# An async redis client: `pickle.loads(await self.redis.get(k))` and
# `await self.redis.set(k, pickle.dumps(v), ex=ttl)`. Expected (Unsafe): json.loads / json.dumps,
# `await` untouched; the read sits in `try/except Exception`, so old entries become misses.
import pickle

from redis import asyncio as aioredis


class SessionStore:
    def __init__(self, url):
        self.redis = aioredis.from_url(url)

    async def load(self, sid):
        try:
            return pickle.loads(await self.redis.get(f"sess:{sid}"))
        except Exception:
            return None

    async def save(self, sid, data, ttl=3600):
        await self.redis.set(f"sess:{sid}", pickle.dumps(data), ex=ttl)
