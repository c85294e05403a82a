from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from .forms import CrispyPasswordChangeForm, LoginForm, RosterUploadForm
from .models import QualificationLevel, User
from .records import record_sections, record_timeline, unit_sections
from .selectors import can_view_officer, officers_visible_to, units_visible_to
from .services import roster_import, roster_template_xlsx


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = CrispyPasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        response = super().form_valid(form)
        if self.request.user.must_change_password:
            self.request.user.must_change_password = False
            self.request.user.save(update_fields=["must_change_password"])
        messages.success(self.request, _("密码已修改。"))
        return response


def _render_record(request, officer):
    """The record in sections (default), as a timeline (?view=timeline), or laid out for A4
    printing (?print=1: both, without the site's navigation)."""
    view = "timeline" if request.GET.get("view") == "timeline" else "sections"
    printing = request.GET.get("print") == "1"
    return render(
        request,
        "accounts/record_print.html" if printing else "accounts/record.html",
        {
            "officer": officer,
            "is_self": officer.pk == request.user.pk,
            "view": view,
            "sections": record_sections(officer, request.user)
            if view == "sections" or printing
            else [],
            "timeline": record_timeline(officer, request.user)
            if view == "timeline" or printing
            else [],
        },
    )


@login_required
def profile(request):
    """“我的档案”: the signed-in user's own record."""
    return _render_record(request, request.user)


@login_required
def officer_record(request, pk):
    """执法档案 of one officer, for unit leaders (own unit and below) and legal staff."""
    officer = get_object_or_404(User, pk=pk)
    if not can_view_officer(request.user, officer):
        raise PermissionDenied
    return _render_record(request, officer)


@login_required
@permission_required("accounts.view_unit_records", raise_exception=True)
def unit_records(request):
    units = units_visible_to(request.user).order_by("path")
    officers = (
        officers_visible_to(request.user)
        .select_related("unit")
        .order_by("unit__path", "police_number")
    )
    unit_code = request.GET.get("unit")
    selected = units.filter(code=unit_code).first() if unit_code else None
    if selected:
        officers = officers.filter(unit__path__startswith=selected.path)
    query = (request.GET.get("q") or "").strip()
    if query:
        officers = officers.filter(full_name__contains=query) | officers.filter(
            police_number__startswith=query
        )
    counts = dict.fromkeys(QualificationLevel.values, 0)
    for level in officers.values_list("qualification_level", flat=True):
        counts[level] += 1
    chart = [(QualificationLevel(level).label, n) for level, n in counts.items()]
    return render(
        request,
        "accounts/unit_records.html",
        {
            "units": units,
            "selected": selected,
            "query": query,
            "page_obj": Paginator(officers, 50).get_page(request.GET.get("page")),
            "qualification_chart": chart,
            "total": sum(counts.values()),
            "sections": unit_sections(
                units.filter(path__startswith=selected.path) if selected else units,
                request.user,
            ),
        },
    )


@login_required
@permission_required("accounts.import_roster", raise_exception=True)
def roster_import_view(request):
    result = None
    if request.method == "POST":
        form = RosterUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            result = roster_import(
                filename=upload.name, content=upload.read(), dry_run=form.cleaned_data["dry_run"]
            )
            if result.ok and not result.dry_run:
                messages.success(
                    request,
                    _("导入完成：新建 %(created)d 人，更新 %(updated)d 人。")
                    % {"created": len(result.created), "updated": len(result.updated)},
                )
    else:
        form = RosterUploadForm()
    return render(
        request,
        "accounts/roster_import.html",
        {"form": form, "result": result},
        status=400 if result is not None and not result.ok else 200,
    )


@login_required
@permission_required("accounts.import_roster", raise_exception=True)
def roster_template(request):
    response = HttpResponse(
        roster_template_xlsx(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = "attachment; filename*=UTF-8''roster-template.xlsx"
    return response
