from django.urls import path

from quipu.linkage import views

app_name = "linkage"
urlpatterns = [
    path("notices/", views.notice_list, name="notices"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    path("notices/<int:pk>/group/", views.notice_group, name="group"),
    path("settings/", views.linkage_settings, name="settings"),
    path("runs/", views.link_run_start, name="run_start"),
]
