from django.urls import path

from quipu.cooperation.jits import views

app_name = "jits"
urlpatterns = [
    path("", views.jit_list, name="list"),
    path("new/", views.jit_new, name="new"),
    path("<int:pk>/", views.jit_detail, name="detail"),
    path("<int:pk>/answer/<slug:action>/", views.jit_answer, name="answer"),
    path("<int:pk>/invite/", views.jit_invite_view, name="invite"),
    path("<int:pk>/leave/", views.jit_leave, name="leave"),
    path("<int:pk>/members/<int:institution>/remove/", views.member_remove_view, name="remove"),
    path("<int:pk>/close/", views.jit_close_view, name="close"),
    path("<int:pk>/notes/", views.note_new, name="note_new"),
    path("<int:pk>/tasks/", views.task_new, name="task_new"),
    path("<int:pk>/cases/", views.case_link_new, name="case_link_new"),
    path("<int:pk>/attachments/", views.attachment_new, name="attachment_new"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
