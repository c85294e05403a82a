from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("", views.home, name="home"),
    path("assign/", views.assign, name="assign"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/import/", views.case_import, name="case_import"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/evaluate/", views.case_evaluate, name="case_evaluate"),
    path("cases/<int:pk>/to-casebook/", views.case_to_casebook, name="case_to_casebook"),
    path(
        "rectifications/<int:pk>/answer/", views.rectification_answer, name="rectification_answer"
    ),
    path(
        "rectifications/<int:pk>/review/", views.rectification_review, name="rectification_review"
    ),
    path("periods/", views.period_list, name="period_list"),
    path("periods/<int:pk>/", views.period_detail, name="period_detail"),
    path("periods/<int:pk>/adjust/", views.period_adjust, name="period_adjust"),
    path("periods/<int:pk>/bulletin/", views.bulletin_create, name="bulletin_create"),
    path("bulletins/<int:pk>/", views.bulletin, name="bulletin"),
    path("bulletins/<int:pk>/docx/", views.bulletin_docx, name="bulletin_docx"),
]
