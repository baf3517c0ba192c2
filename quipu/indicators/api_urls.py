"""API routes of this app, mounted under /api/v1/ in the api namespace."""

from django.urls import path

from quipu.indicators import api

urlpatterns = [
    path("indicators/rounds/", api.RoundList.as_view(), name="indicator-rounds"),
    path("indicators/rounds/<int:pk>/", api.RoundDetail.as_view(), name="indicator-round"),
    path(
        "indicators/rounds/<int:pk>/assign/",
        api.RoundAssign.as_view(),
        name="indicator-round-assign",
    ),
    path(
        "indicators/rounds/<int:pk>/import/",
        api.RoundImport.as_view(),
        name="indicator-round-import",
    ),
    path("indicators/submissions/", api.SubmissionList.as_view(), name="indicator-submissions"),
    path(
        "indicators/submissions/<int:pk>/",
        api.SubmissionDetail.as_view(),
        name="indicator-submission",
    ),
    path(
        "indicators/submissions/<int:pk>/<slug:action>/",
        api.SubmissionStep.as_view(),
        name="indicator-submission-step",
    ),
]
