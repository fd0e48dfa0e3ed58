# An editor put `#` in column 0 in front of the original lines. Expected: restored at the
# function body's indentation.
from django.core.exceptions import PermissionDenied


def staff_dashboard(request):
    context = {"user": request.user}
#    if not request.user.is_staff:
#        raise PermissionDenied
    return context
