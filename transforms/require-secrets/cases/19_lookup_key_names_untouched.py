# Names ending in KEY that name a lookup key, not a secret (a cache key, a sort or partition
# key, an idempotency key): their defaults are ordinary values, and making them required
# would stop the application for nothing. Expected: no findings for them; STRIPE_KEY (maybe a secret)
# is still fixed.
import os

CACHE_KEY = os.getenv("CACHE_KEY", "site")
SORT_KEY = os.environ.get("SORT_KEY", "created_at")
PARTITION_KEY = os.getenv("PARTITION_KEY", "tenant_id")
IDEMPOTENCY_KEY_HEADER = os.getenv("IDEMPOTENCY_KEY_HEADER", "Idempotency-Key")
STRIPE_KEY = os.getenv("STRIPE_KEY", "sk_test_123")
