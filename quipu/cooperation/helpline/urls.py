from django.urls import path

from quipu.cooperation.helpline import views

app_name = "helpline"
urlpatterns = [
    path("", views.reports_mine, name="mine"),
    path("new/", views.report_new, name="new"),
    path("triage/", views.inbox, name="inbox"),
    path("triage/export.csv", views.inbox_export, name="inbox_export"),
    path("reports/<int:pk>/", views.report_detail, name="detail"),
    path("reports/<int:pk>/triage/<str:action>/", views.report_triage, name="triage"),
]
