# Database/cache URLs: only literals embedding a password are findings.
# Expected: DATABASE_URL (postgres:postgres) and CACHE_URL (:cache-pass) become required;
# READ_REPLICA_URL (no password), SQLITE_URL and REDIS_URL are untouched.
import os

DATABASE_URL = os.getenv("DATABASE_URL", "postgresql://postgres:postgres@localhost:5432/app")
READ_REPLICA_URL = os.getenv("READ_REPLICA_URL", "postgresql://reader@localhost:5432/app")
SQLITE_URL = os.getenv("SQLITE_URL", "sqlite:///./dev.db")
REDIS_URL = os.getenv("REDIS_URL", "redis://localhost:6379/0")
CACHE_URL = os.environ.get("CACHE_URL", "redis://:cache-pass@localhost:6379/1")
