from django.urls import path

from quipu.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_trail, name="trail"),
    path("checkpoints/", views.audit_checkpoints, name="checkpoints"),
    path("checkpoints/public-key.pem", views.audit_checkpoint_public_key, name="public_key"),
    path("checkpoints/<str:name>", views.audit_checkpoint_download, name="checkpoint_download"),
]
