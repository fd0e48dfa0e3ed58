# `import pickle as pkl` with a memcache client. Expected (Unsafe): `pkl.loads`/`pkl.dumps` become
# `json.loads`/`json.dumps`, `import pickle as pkl` becomes `import json`.
import pickle as pkl

from pymemcache.client.base import Client

mc = Client(("localhost", 11211))


def get_profile(user_id):
    raw = mc.get(f"profile:{user_id}")
    if raw is None:
        return None
    return pkl.loads(raw)


def put_profile(user_id, profile):
    mc.set(f"profile:{user_id}", pkl.dumps(profile), expire=600)
