# case-path: tests/test_settings.py
# Test code (this case runs as tests/test_settings.py; also test_*.py, *_test.py, conftest.py):
# fixture secrets there are expected and harmless. Expected: no findings, no change, although
# the same lines in app code are all fixed.
import os

SECRET_KEY = os.environ.get("SECRET_KEY", "test-secret-key")
DATABASE_URL = os.getenv("DATABASE_URL", "postgresql://test:test-password@localhost/test")


class FakeVerifier:
    def __init__(self, signing_secret=None):
        self.signing_secret = signing_secret or "test-signing-secret"


def test_app_config(app):
    app.config["SECRET_KEY"] = "fixture-secret"
    assert app.config["SECRET_KEY"]
