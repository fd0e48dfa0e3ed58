# Variant 6b: `timezone` is django.utils.timezone; the module `datetime` is imported.
# Expected: `datetime.datetime.now(datetime.timezone.utc)` through the existing module import;
# django's `timezone` is untouched.
import datetime

from django.utils import timezone


def stamps():
    return timezone.now(), datetime.datetime.utcnow().strftime("%Y")
