from django.urls import path

from . import views

app_name = "questions"

urlpatterns = [
    path("practice/", views.practice_home, name="practice_home"),
    path("practice/law/<id:law_id>/", views.law_topics, name="law_topics"),
    path("practice/start/", views.start, name="start"),
    path("practice/s/<id:session_id>/", views.session_summary, name="session_summary"),
    path(
        "practice/s/<id:session_id>/q/<id:index>/",
        views.session_question_view,
        name="session_question",
    ),
    path("practice/favourite/<id:question_id>/", views.toggle_favourite, name="toggle_favourite"),
    path("practice/wrong/", views.wrong_book_view, name="wrong_book"),
    path("practice/progress/", views.progress, name="progress"),
]
