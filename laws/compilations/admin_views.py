"""A stable link from the admin menu to the compilations in Wagtail's page explorer."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from accounts.roles import is_legal_staff


@login_required
def explore(request):
    """Opens the compilation section in the page explorer (created on first use)."""
    if not is_legal_staff(request.user):
        raise PermissionDenied
    from laws.compilations.services import compilation_index

    return redirect("wagtailadmin_explore", compilation_index().pk)
