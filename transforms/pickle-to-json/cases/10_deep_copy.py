# The deep-copy idiom `pickle.loads(pickle.dumps(x))` inside cache code. Expected: one
# display-only finding naming the idiom, no edit.
import pickle


class LocalCache:
    def __init__(self):
        self._data = {}

    def get(self, key):
        value = self._data.get(key)
        return pickle.loads(pickle.dumps(value))
