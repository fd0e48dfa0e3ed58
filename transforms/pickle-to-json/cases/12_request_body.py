# pickle.loads of a request body: CWE-502, but not cache data. Expected: display-only finding
# saying it is not recognisably a cache, no edit.
import pickle

from flask import Flask, request

app = Flask(__name__)


@app.post("/import")
def import_state():
    state = pickle.loads(request.get_data())
    return {"keys": len(state)}
