"""API routes of notifications, mounted under /api/v1/ in the api namespace."""

from django.urls import path

from quipu.notifications import api

urlpatterns = [
    path("notifications/", api.NotificationList.as_view(), name="notifications"),
    path("notifications/<int:pk>/read/", api.NotificationRead.as_view(), name="notification-read"),
]
