# pickle imported inside the function that uses it; the serializer returns bytes to an unknown
# consumer. Expected (Unsafe): `json.dumps(value).encode()` (keeps bytes), `json.loads(blob)`,
# the local `import pickle` lines are removed and `import json` is added at the top.
import zlib


class CompressedCache:
    def pack(self, value) -> bytes:
        import pickle
        return zlib.compress(pickle.dumps(value))

    def unpack(self, blob: bytes):
        import pickle
        return pickle.loads(zlib.decompress(blob))
