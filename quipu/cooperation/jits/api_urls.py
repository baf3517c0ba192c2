"""API routes of this app, mounted under /api/v1/ in the api namespace."""

from django.urls import path

from quipu.cooperation.jits import api

urlpatterns: list = [
    path("jits/", api.JitList.as_view(), name="jits"),
    path("jits/invitations/", api.InvitationList.as_view(), name="jit-invitations"),
    path("jits/<int:pk>/", api.JitDetail.as_view(), name="jit"),
    path("jits/<int:pk>/invitations/", api.JitInvite.as_view(), name="jit-invite"),
    path("jits/<int:pk>/membership/", api.JitMembership.as_view(), name="jit-membership"),
    path("jits/<int:pk>/removals/", api.JitRemoval.as_view(), name="jit-removal"),
    path("jits/<int:pk>/close/", api.JitClose.as_view(), name="jit-close"),
    path("jits/<int:pk>/notes/", api.JitNotes.as_view(), name="jit-notes"),
    path("jits/<int:pk>/tasks/", api.JitTasks.as_view(), name="jit-tasks"),
    path("jits/<int:pk>/cases/", api.JitCases.as_view(), name="jit-cases"),
    path("jits/<int:pk>/attachments/", api.JitAttachments.as_view(), name="jit-attachments"),
    path("jit-tasks/<int:pk>/done/", api.JitTaskDone.as_view(), name="jit-task-done"),
    path("jit-attachments/<int:pk>/", api.JitAttachmentDownload.as_view(), name="jit-attachment"),
]
