from django.urls import path

from quipu.intake import views

app_name = "intake"
urlpatterns = [
    path("imports/", views.import_start, name="import_start"),
    path("imports/<uuid:pk>/", views.import_detail, name="import_detail"),
    path("imports/<uuid:pk>/errors.csv", views.import_report, name="import_report"),
    path("imports/<uuid:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("imports/<uuid:pk>/undo/", views.import_undo_view, name="import_undo"),
    path("exports/", views.export_start, name="export_start"),
    path("exports/<uuid:pk>/", views.export_detail, name="export_detail"),
    path("exports/<uuid:pk>/download/", views.export_download, name="export_download"),
    path("template/", views.template_help, name="template_help"),
    path("template/quipu-template.csv", views.template_csv, name="template_csv"),
]
