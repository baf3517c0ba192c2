"""API routes of the cooperation dashboard, mounted under /api/v1/ in the api namespace."""

from django.urls import path

from quipu.cooperation.dashboard import api

urlpatterns = [
    path(
        "cooperation/dashboard/",
        api.CooperationDashboard.as_view(),
        name="cooperation-dashboard",
    )
]
