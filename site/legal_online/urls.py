from django.urls import path

from . import api, views

app_name = "legal_online"

urlpatterns = [
    path("legal-online/", views.index, name="index"),
    path("legal-online/ask/", views.ask, name="ask"),
    path("legal-online/ask/similar/", views.similar, name="similar"),
    path("legal-online/mine/", views.mine, name="mine"),
    path("legal-online/notifications/", views.notifications, name="notifications"),
    path("legal-online/notifications/<id:pk>/", views.notification_open, name="notification_open"),
    path("legal-online/q/<id:pk>/", views.detail, name="detail"),
    path("legal-online/q/<id:pk>/follow-up/", views.follow_up, name="follow_up"),
    path("legal-online/q/<id:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("legal-online/q/<id:pk>/files/<id:attachment_pk>/", views.attachment, name="attachment"),
    # legal staff
    path("legal-online/queue/", views.queue, name="queue"),
    path("legal-online/queue/escalate/", views.escalate, name="escalate"),
    path("legal-online/q/<id:pk>/assign/", views.assign, name="assign"),
    path("legal-online/q/<id:pk>/answer/", views.answer, name="answer"),
    path("legal-online/q/<id:pk>/review/", views.review, name="review"),
    path("legal-online/q/<id:pk>/publish/", views.publish, name="publish"),
    path("legal-online/q/<id:pk>/unpublish/", views.unpublish, name="unpublish"),
    path("legal-online/q/<id:pk>/close/", views.close, name="close"),
    path("legal-online/q/<id:pk>/duplicate/", views.close_duplicate, name="close_duplicate"),
    path("legal-online/q/<id:pk>/message/", views.staff_message, name="staff_message"),
    path("legal-online/q/<id:pk>/outdated-reviewed/", views.clear_outdated, name="clear_outdated"),
    path(
        "legal-online/q/<id:pk>/practice-question/",
        views.make_practice_question,
        name="practice_question",
    ),
    # public FAQ (执法问答) and figures
    path("legal-online/faq/", views.faq, name="faq"),
    path("legal-online/faq/<id:pk>/", views.faq_detail, name="faq_detail"),
    path("legal-online/figures/", views.figures, name="figures"),
    # API
    path("api/legal-online/consultations/", api.ConsultationList.as_view(), name="api_list"),
    path(
        "api/legal-online/consultations/<id:pk>/",
        api.ConsultationDetail.as_view(),
        name="api_detail",
    ),
    path("api/legal-online/faq/", api.FaqList.as_view(), name="api_faq"),
]
