# `abort` bound to something other than a web framework's abort: `os.abort()` takes no
# argument (and would kill the process). Expected: declined, naming `os.abort`.
from os import abort


def handler(user):
    # if not user.is_admin:
    #     abort(403)
    return 1
