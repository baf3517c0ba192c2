from django.urls import path

from quipu.indicators import kobo_views, round_views, views

app_name = "indicators"
urlpatterns = [
    path("", views.framework, name="framework"),
    path("new/", views.indicator_new, name="indicator_new"),
    path("<slug:code>/edit/", views.indicator_edit, name="indicator_edit"),
    path("framework.xlsx", views.framework_export, name="framework_export"),
    path("import/", views.framework_import, name="framework_import"),
    path("surveys/", views.survey_list, name="survey_list"),
    path("surveys/import/", views.survey_import, name="survey_import"),
    path("rounds/", round_views.round_list, name="round_list"),
    path("rounds/new/", round_views.round_new, name="round_new"),
    path("rounds/<int:pk>/", round_views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/assign/", round_views.round_assign, name="round_assign"),
    path("rounds/<int:pk>/import/", kobo_views.submission_import, name="submission_import"),
    path("submissions/<int:pk>/", round_views.submission, name="submission"),
    path("submissions/<int:pk>/<slug:action>/", round_views.submission_act, name="submission_act"),
    path("surveys/<str:form_id>/", views.survey_fill, name="survey_fill"),
    path("surveys/<str:form_id>/guide/", views.survey_guide, name="survey_guide"),
]
