from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("me/", views.profile, name="profile"),
    path("officers/<id:pk>/", views.officer_record, name="officer_record"),
    path("units/", views.unit_records, name="unit_records"),
    path("roster/import/", views.roster_import_view, name="roster_import"),
    path("roster/template.xlsx", views.roster_template, name="roster_template"),
]
