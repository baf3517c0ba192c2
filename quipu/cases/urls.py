from django.urls import path

from quipu.cases import entry_views, views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", entry_views.case_new, name="new"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/edit/<slug:step>/", entry_views.case_edit, name="edit"),
]
