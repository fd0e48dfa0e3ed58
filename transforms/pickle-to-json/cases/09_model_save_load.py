# Model persistence with pickle: a trusted local artifact, not a cache. Expected: a display-only
# finding for the load (with the reason), nothing for the dump, no edits.
import pickle


def load_model(path):
    with open(path, "rb") as f:
        return pickle.load(f)


def save_model(model, path):
    with open(path, "wb") as f:
        pickle.dump(model, f)
