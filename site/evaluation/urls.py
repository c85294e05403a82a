from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("", views.home, name="home"),
    path("assign/", views.assign, name="assign"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/import/", views.case_import, name="case_import"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<id:pk>/", views.case_detail, name="case_detail"),
    path("cases/<id:pk>/evaluate/", views.case_evaluate, name="case_evaluate"),
    path("cases/<id:pk>/to-casebook/", views.case_to_casebook, name="case_to_casebook"),
    path("rectifications/<id:pk>/answer/", views.rectification_answer, name="rectification_answer"),
    path("rectifications/<id:pk>/review/", views.rectification_review, name="rectification_review"),
    path("periods/", views.period_list, name="period_list"),
    path("periods/<id:pk>/", views.period_detail, name="period_detail"),
    path("periods/<id:pk>/adjust/", views.period_adjust, name="period_adjust"),
    path("periods/<id:pk>/bulletin/", views.bulletin_create, name="bulletin_create"),
    path("bulletins/<id:pk>/", views.bulletin, name="bulletin"),
    path("bulletins/<id:pk>/docx/", views.bulletin_docx, name="bulletin_docx"),
]
