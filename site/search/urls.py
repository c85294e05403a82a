from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("search/", views.search_page, name="results"),
    path("search/suggest/", views.law_suggest, name="suggest"),
    path("search/lexicon/", views.lexicon_admin, name="lexicon"),
    path("api/search/", views.SearchAPIView.as_view(), name="api"),
    path("api/search/laws/", views.LawSuggestAPIView.as_view(), name="api_laws"),
]
