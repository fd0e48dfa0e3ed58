# More ways real code appends "Z" to the ISO text: none may print `...+00:00Z`.
# Expected: `prefix + x.isoformat() + "Z"`, `(x.isoformat()) + "Z"`, a multi-line `+ "Z"`,
# `str(x) + "Z"` and a local variable holding the text (`iso + "Z"`) are rewritten to
# `.replace("+00:00", "Z")` and keep their exact output (Safe). Text that puts `Z` after the
# ISO text in ways the rewrite cannot keep exact declines: implicit concatenation
# (`+ "Z" "..."`), `f"{...}" "Z"`, `"%s" % x + "Z"`, `"%sZ" % (x,)`, `[iso, "Z"]`.
# tests/utcnow_to_aware.rs runs these functions before and after the fix and compares.
from datetime import datetime


def with_prefix():
    return "at " + datetime.utcnow().isoformat() + "Z"


def parenthesized():
    return (datetime.utcnow().isoformat()) + "Z"


def multi_line():
    return (datetime.utcnow().isoformat(timespec="seconds")
            + "Z")


def via_str():
    return str(datetime.utcnow()) + "Z"


def text_in_a_variable():
    iso = datetime.utcnow().isoformat()
    return iso + "Z"


def implicit_concatenation():
    return datetime.utcnow().isoformat() + "Z" " UTC"


def fstring_then_literal():
    return f"{datetime.utcnow().isoformat()}" "Z"


def percent_then_plus():
    return "%s" % datetime.utcnow().isoformat() + "Z"


def percent_tuple():
    return "%sZ" % (datetime.utcnow().isoformat(),)


def joined():
    return "".join([datetime.utcnow().isoformat(), "Z"])
