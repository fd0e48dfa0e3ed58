# Variant 2c: `from datetime import datetime as DT` + `DT.utcnow()`.
# Expected: `DT.now(timezone.utc)`, `timezone` added to the aliased import line.
from datetime import datetime as DT


def report_name():
    return "report-" + DT.utcnow().strftime("%Y%m%d") + ".csv"
