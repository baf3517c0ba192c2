from django.urls import path

from quipu.progress import views

app_name = "progress"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("harmonisation/", views.harmonisation, name="harmonisation"),
    path("countries/<str:code>/", views.country, name="country"),
    path("countries/<str:code>/targets/", views.targets, name="targets"),
    path("axes/<slug:code>/", views.axis, name="axis"),
    path("indicators/<slug:code>/", views.indicator, name="indicator"),
    path("download/<slug:format>/", views.download, name="download"),
]
