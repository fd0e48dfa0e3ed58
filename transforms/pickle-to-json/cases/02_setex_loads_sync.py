# A caching decorator on a sync redis client: `pickle.loads(r.get(...))` through a local and
# `r.setex(k, ttl, pickle.dumps(v))`. Expected (Unsafe): both switch to json (no `.encode()`:
# redis accepts str), `import pickle` becomes `import json`; the read's message says
# old pickle entries make json.loads raise because nothing here catches ValueError.
import functools
import pickle

import redis

r = redis.Redis(host="localhost", port=6379)


def memoize(ttl):
    def decorator(fn):
        @functools.wraps(fn)
        def wrapper(*args):
            key = f"{fn.__name__}:{args!r}"
            hit = r.get(key)
            if hit is not None:
                return pickle.loads(hit)
            result = fn(*args)
            r.setex(key, ttl, pickle.dumps(result))
            return result
        return wrapper
    return decorator
