# CRIT-D2 (review, api/database.py): the default connection string embeds the password `changeme`.
# Expected: the lookup becomes `os.environ["DATABASE_URL"]` (required); the pool size
# lookup `int(os.getenv("DB_POOL", "10"))` is untouched.
import os

from sqlalchemy import create_engine

DATABASE_URL = os.getenv(
    "DATABASE_URL",
    "postgresql://discovery:changeme@localhost:5432/discovery",
)

engine = create_engine(DATABASE_URL, pool_size=int(os.getenv("DB_POOL", "10")))
