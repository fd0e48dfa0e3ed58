# `from datetime import *` binds `datetime` and `timezone` (datetime's `__all__`): the call
# is found and fixed with the star-imported `timezone`; no import is added.
from datetime import *


def stamp():
    return datetime.utcnow().strftime("%Y-%m-%d")


def later(ts):
    return datetime.utcfromtimestamp(ts) + timedelta(hours=1) > datetime.utcnow()
