# `pickle.dumps` used to derive cache keys (hashed, never read back) is not cache data: before,
# `cache_key` was converted to `json.dumps(args).encode()` (a TypeError for arguments JSON cannot
# encode, and every key changes) and the key functions held the real cache back. Expected: the
# key derivations are not reported; the cache read and write switch to JSON; `import pickle`
# stays (still used).
import hashlib
import pickle

import redis

r = redis.Redis()


def make_cache_key(func, *args, **kwargs):
    raw = pickle.dumps((func.__name__, args, sorted(kwargs.items())))
    return hashlib.sha256(raw).hexdigest()


def cache_key(*args):
    return hashlib.md5(pickle.dumps(args)).hexdigest()


def get_cached(key):
    data = r.get(key)
    return pickle.loads(data) if data else None


def set_cached(key, value):
    r.set(key, pickle.dumps(value))
