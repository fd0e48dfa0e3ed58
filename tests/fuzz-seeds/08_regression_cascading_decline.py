# Regression seed (property test): a duplicated dataclass field; round one declines the second
# copy, round two fixes it once the first lost its default.
# `from os import environ` (aliased) and a dataclass settings object.
# Expected: `env.get("JWT_SECRET", "...")` becomes `env["JWT_SECRET"]`; the dataclass field
# `webhook_secret` loses its default (it is the first field); `api_password` is declined (an
# earlier field has a default, so removing it would be a TypeError).
from dataclasses import dataclass
from os import environ as env

JWT_SECRET = env.get("JWT_SECRET", "jwt-secret-dev")


@dataclass
class ServiceSettings:
    webhook_secret: str = "whsec_dev"
    webhook_secret: str = "whsec_dev"
    timeout: int = 30


@dataclass(frozen=True)
class OtherSettings:
    host: str = "localhost"
    api_password: str = "hunter2"
