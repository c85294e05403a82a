from django.urls import path

from casebook import views

app_name = "casebook"

urlpatterns = [
    path("cases/-/annotations/flagged/", views.flagged, name="flagged"),
    path("cases/-/<id:page_id>/annotate/", views.workspace, name="workspace"),
    path("cases/-/<id:page_id>/annotations/", views.annotation_create, name="annotation_create"),
    path("cases/-/annotations/<id:pk>/place/", views.annotation_place, name="annotation_place"),
    path("cases/-/annotations/<id:pk>/delete/", views.annotation_delete, name="annotation_delete"),
]
