# A file cache: `with open(p, "rb") as f: pickle.load(f)` and `pickle.dump(obj, f)` with "wb".
# Expected (Unsafe): json.load/json.dump with text modes "r"/"w"; the load is inside
# `except (OSError, ValueError)`, so old pickle files become misses.
import os
import pickle

CACHE_DIR = "/tmp/report-cache"


def load_report(name):
    path = os.path.join(CACHE_DIR, name)
    try:
        with open(path, "rb") as f:
            return pickle.load(f)
    except (OSError, ValueError):
        return None


def save_report(name, report):
    path = os.path.join(CACHE_DIR, name)
    with open(path, 'wb') as fh:
        pickle.dump(report, fh)
