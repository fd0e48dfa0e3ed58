# A star import of a module remedy cannot see into (`from app.helpers import *`) may bind
# `timezone` (a project's helpers often re-export `django.utils.timezone`) or any alias remedy
# would pick. Here it comes after `from datetime import *`, so the star-imported
# `datetime.timezone` may be rebound too, and a new import could be rebound by it.
# Expected: the finding is reported and declined, naming the star import.
from datetime import *

from app.helpers import *


def stamp():
    return datetime.utcnow().strftime("%Y-%m-%d")
