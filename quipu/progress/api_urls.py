"""API routes of progress, mounted under /api/v1/ in the api namespace."""

from django.urls import path

from quipu.progress import api

urlpatterns = [path("progress/", api.ProgressValues.as_view(), name="progress")]
