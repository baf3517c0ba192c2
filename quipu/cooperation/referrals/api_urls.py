"""API routes of this app, mounted under /api/v1/ in the api namespace."""

from django.urls import path

from quipu.cooperation.referrals import api

urlpatterns: list = [
    path("referrals/", api.ReferralList.as_view(), name="referrals"),
    path("referrals/counts/", api.ReferralCounts.as_view(), name="referral-counts"),
    path("referrals/<int:pk>/", api.ReferralDetail.as_view(), name="referral"),
    path(
        "referrals/<int:pk>/transitions/",
        api.ReferralTransition.as_view(),
        name="referral-transition",
    ),
    path("referrals/<int:pk>/steps/", api.ReferralStepCreate.as_view(), name="referral-steps"),
    path("referral-steps/<int:pk>/", api.ReferralStepUpdate.as_view(), name="referral-step"),
]
