from django.urls import path

from quipu.cooperation.requests import views

app_name = "requests"
urlpatterns = [
    path("", views.request_inbox, name="inbox"),
    path("new/", views.request_new, name="new"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/act/<slug:action>/", views.request_act, name="act"),
    path("<int:pk>/grant/", views.request_grant, name="grant"),
]
