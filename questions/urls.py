from django.urls import path

from . import views

app_name = "questions"

urlpatterns = [
    path("practice/", views.practice_home, name="practice_home"),
    path("practice/law/<int:law_id>/", views.law_topics, name="law_topics"),
    path("practice/start/", views.start, name="start"),
    path("practice/s/<int:session_id>/", views.session_summary, name="session_summary"),
    path(
        "practice/s/<int:session_id>/q/<int:index>/",
        views.session_question_view,
        name="session_question",
    ),
    path("practice/favourite/<int:question_id>/", views.toggle_favourite, name="toggle_favourite"),
    path("practice/wrong/", views.wrong_book_view, name="wrong_book"),
    path("practice/progress/", views.progress, name="progress"),
]
