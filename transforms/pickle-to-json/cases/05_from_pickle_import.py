# `from pickle import loads, dumps`. Expected (Unsafe): the calls become `json.loads`/`json.dumps`,
# the `from pickle import ...` line becomes `import json`.
from pickle import dumps, loads

import redis

cache = redis.StrictRedis()


def cached_rates(currency):
    data = cache.get("rates:" + currency)
    return loads(data) if data else None


def store_rates(currency, rates):
    cache.set("rates:" + currency, dumps(rates))
