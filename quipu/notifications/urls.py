from django.urls import path

from quipu.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/", views.notification_follow, name="follow"),
    path("read/", views.notifications_read, name="read_all"),
    path("settings/", views.notification_settings, name="settings"),
]
