"""API routes of this app, mounted under /api/v1/ in the api namespace."""

from django.urls import path

from quipu.cooperation.requests import api

urlpatterns: list = [
    path("information-requests/", api.RequestList.as_view(), name="information-requests"),
    path("information-requests/<int:pk>/", api.RequestDetail.as_view(), name="information-request"),
    path(
        "information-requests/<int:pk>/transitions/",
        api.RequestTransition.as_view(),
        name="information-request-transition",
    ),
    path(
        "information-requests/<int:pk>/grant/",
        api.GrantRecords.as_view(),
        name="information-request-grant",
    ),
    path(
        "information-requests/<int:pk>/revoke/",
        api.RequestRevoke.as_view(),
        name="information-request-revoke",
    ),
]
