# Variant 9: a module whose `datetime` the project's tests patch with
# `utcnow.return_value`. Run alone (no tests in the project), the fix is Safe; when a test
# file patches "<this module>.datetime" and stubs `utcnow.return_value`, the same fix is
# Unsafe and names that test file (see tests/utcnow_to_aware.rs, which runs this file inside
# a project snapshot holding such a test).
from datetime import datetime


def expiry_day():
    return datetime.utcnow().strftime("%Y-%m-%d")
