# Regression seed (property test): four duplicated aliased imports; the line diff pairs the
# edited first import with a far copy, which the property check must not mistake for a stray edit.
# `from os import environ` (aliased) and a dataclass settings object.
# Expected: `env.get("JWT_SECRET", "...")` becomes `env["JWT_SECRET"]`; the dataclass field
# `webhook_secret` loses its default (it is the first field); `api_password` is declined (an
# earlier field has a default, so removing it would be a TypeError).
from dataclasses import dataclass
from os import environ as env

JWT_SECRET = env.get("JWT_SECRET", "jwt-secret-dev")
# Variant 2c: `from datetime import datetime as DT` + `DT.utcnow()`.
# Expected: `DT.now(timezone.utc)`, `timezone` added to the aliased import line.
from datetime import datetime as DT
from datetime import datetime as DT
from datetime import datetime as DT
from datetime import datetime as DT


def report_name():
    return "report-" + DT.utcnow().strftime("%Y%m%d") + ".csv"
