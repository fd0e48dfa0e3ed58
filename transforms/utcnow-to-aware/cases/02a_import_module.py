# Variant 2a: `import datetime` + `datetime.datetime.utcnow()`.
# Expected: `datetime.datetime.now(datetime.timezone.utc)`; no new import.
import datetime


def expiry_label():
    now = datetime.datetime.utcnow()
    return now.strftime("%H:%M") + " on " + now.strftime("%d %b")
