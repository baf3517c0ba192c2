from django.urls import path

from quipu.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.framework, name="framework"),
    path("new/", views.indicator_new, name="indicator_new"),
    path("<slug:code>/edit/", views.indicator_edit, name="indicator_edit"),
    path("framework.xlsx", views.framework_export, name="framework_export"),
    path("import/", views.framework_import, name="framework_import"),
    path("surveys/", views.survey_list, name="survey_list"),
    path("surveys/import/", views.survey_import, name="survey_import"),
    path("surveys/<str:form_id>/", views.survey_fill, name="survey_fill"),
    path("surveys/<str:form_id>/guide/", views.survey_guide, name="survey_guide"),
]
