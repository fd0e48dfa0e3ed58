# Regression seed (property test): a pickle fix declined in round one (an unbound `json` is in use)
# is applied in round two, once the stripe fix removed that use; its import edit must be reported.

import stripe
from flask import request

endpoint_secret = "whsec_vendored"


def parse_webhook():
    event = stripe.Event.construct_from(json.loads(request.data), stripe.api_key)
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
