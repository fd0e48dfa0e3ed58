# Non-secret defaults: pool sizes, ports, log levels, URLs without passwords, sqlite paths,
# key ids/names, publishable keys. Expected: no findings, no change.
import os

DB_POOL = int(os.getenv("DB_POOL", "10"))
PORT = int(os.environ.get("PORT", "8000"))
LOG_LEVEL = os.getenv("LOG_LEVEL", "info").upper()
REDIS_URL = os.getenv("REDIS_URL", "redis://localhost:6379/0")
SQLALCHEMY_DATABASE_URI = os.getenv("SQLALCHEMY_DATABASE_URI", "sqlite:///./app.db")
KMS_KEY_ID = os.getenv("KMS_KEY_ID", "alias/app")
API_KEY_NAME = os.getenv("API_KEY_NAME", "X-API-Key")
STRIPE_PUBLISHABLE_KEY = os.getenv("STRIPE_PUBLISHABLE_KEY", "pk_test_123")
TOKEN_TYPE = os.getenv("TOKEN_TYPE", "bearer")
