from django.urls import path

from quipu.cooperation.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="list"),
    path("incoming/", views.referral_incoming, name="incoming"),
    path("new/", views.referral_new, name="new"),
    path("register/", views.referral_register, name="register"),
    path("figures/", views.referral_figures, name="figures"),
    path("<int:pk>/", views.referral_detail, name="detail"),
    path("<int:pk>/act/<slug:action>/", views.referral_act, name="act"),
    path("<int:pk>/steps/", views.referral_step_new, name="step_new"),
    path("steps/<int:pk>/", views.referral_step_change, name="step_change"),
]
