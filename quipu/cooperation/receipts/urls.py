from django.urls import path

from quipu.cooperation.receipts import views

app_name = "receipts"
urlpatterns = [
    path("", views.receipt_list, name="list"),
    path("verify/", views.receipt_verify_page, name="verify"),
    path("<uuid:pk>/", views.receipt_download, name="download"),
]
