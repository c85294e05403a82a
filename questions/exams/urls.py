from django.urls import path

from . import api, views

app_name = "exams"

urlpatterns = [
    # The answer save first: the exam page calls it for every answer (see config/urls.py).
    path(
        "api/exams/attempts/<id:attempt_id>/answers/",
        api.as_documented(api.save_answer, api.SaveAnswerView),
        name="api_save",
    ),
    path(
        "api/exams/attempts/<id:attempt_id>/answers/batch/",
        api.as_documented(api.save_answers, api.SaveAnswersView),
        name="api_save_batch",
    ),
    path("exams/", views.exam_list, name="exam_list"),
    path("exams/<id:exam_id>/", views.exam_detail, name="detail"),
    path("exams/<id:exam_id>/start/", views.exam_start, name="start"),
    path("exams/attempts/<id:attempt_id>/", views.attempt_take, name="take"),
    path("exams/attempts/<id:attempt_id>/result/", views.attempt_result, name="result"),
    # Staff
    path("exams/<id:exam_id>/preview/", views.exam_preview, name="preview"),
    path("exams/<id:exam_id>/print/", views.exam_preview, {"printable": True}, name="print"),
    path(
        "exams/<id:exam_id>/answer-sheet/",
        views.exam_preview,
        {"printable": True, "sheet": True},
        name="answer_sheet",
    ),
    path("exams/<id:exam_id>/regrade/", views.exam_regrade, name="regrade"),
    path("exams/<id:exam_id>/analysis/", views.exam_item_analysis, name="item_analysis"),
    path("exams/admin/eligible-count/", views.admin_eligible_count, name="admin_eligible_count"),
    path("exams/admin/section-count/", views.admin_section_count, name="admin_section_count"),
    # Leaders and staff
    path("exams/results/", views.results_index, name="results"),
    path("exams/<id:exam_id>/results/", views.exam_results, name="exam_results"),
    path("exams/<id:exam_id>/results.xlsx", views.exam_results_xlsx, name="exam_results_xlsx"),
    # JSON API
    path("api/exams/<id:exam_id>/start/", api.StartView.as_view(), name="api_start"),
    path(
        "api/exams/attempts/<id:attempt_id>/",
        api.as_documented(api.get_paper, api.PaperView),
        name="api_paper",
    ),
    path(
        "api/exams/attempts/<id:attempt_id>/submit/",
        api.as_documented(api.submit_attempt, api.SubmitView),
        name="api_submit",
    ),
    path("api/exams/attempts/<id:attempt_id>/leave/", api.LeaveView.as_view(), name="api_leave"),
    path("api/exams/attempts/<id:attempt_id>/result/", api.ResultView.as_view(), name="api_result"),
]
