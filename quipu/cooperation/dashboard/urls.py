from django.urls import path

from quipu.cooperation.dashboard import views

app_name = "dashboard"
urlpatterns = [path("", views.overview, name="overview")]
