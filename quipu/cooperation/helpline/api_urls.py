"""API routes of this app, mounted under /api/v1/ in the api namespace."""

from django.urls import path

from quipu.cooperation.helpline import api

urlpatterns = [
    path("helpline/reports/", api.ReportList.as_view(), name="helpline-reports"),
    path("helpline/inbox/", api.Inbox.as_view(), name="helpline-inbox"),
    path("helpline/reports/<int:pk>/", api.ReportDetail.as_view(), name="helpline-report"),
    path(
        "helpline/reports/<int:pk>/<str:action>/",
        api.ReportTriage.as_view(),
        name="helpline-report-triage",
    ),
]
