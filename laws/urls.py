from django.urls import include, path

from laws import api, views

app_name = "laws"

urlpatterns = [
    path("laws/impact/", views.impact_list, name="impact"),
    path("laws/impact/<id:pk>/review/", views.impact_review, name="impact_review"),
    path("api/laws/", include(api.router.urls)),
    path("api/laws/lookup/", api.ArticleLookupView.as_view(), name="api_lookup"),
]
