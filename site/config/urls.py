from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from django.conf import settings
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts.views import LoginView
from core.views import not_found as page_not_found_view

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("accounts/", include("accounts.urls")),
    # Wagtail's page-privacy login is the site's own login page (one form, one throttle).
    path("_util/login/", LoginView.as_view(), name="wagtailcore_login"),
    # Shared page passwords are switched off (WAGTAIL_PRIVATE_PAGE_OPTIONS): their form would be
    # a password check outside the login throttle, so it does not exist here at all.
    path(
        "_util/authenticate_with_password/<path:rest>",
        page_not_found_view,
        name="no_shared_page_passwords",
    ),
    # Exams first among the root includes: the exam page's answer saves are the busiest URL on
    # exam day, and every include tried before it costs URL matching on each request.
    path("", include("questions.exams.urls")),
    path("", include("home.urls")),
    path("", include("notices.urls")),
    path("", include("search.urls")),
    path("", include("laws.urls")),
    path("", include("casebook.urls")),
    path("", include("questions.urls")),
    path("", include("legal_online.urls")),
    path("evaluation/", include("evaluation.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page serving is the catch-all, so it comes last.
urlpatterns += [path("", include(wagtail_urls))]

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
