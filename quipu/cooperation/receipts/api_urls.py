"""API routes of this app, mounted under /api/v1/ in the api namespace."""

from django.urls import path

from quipu.cooperation.receipts import api

urlpatterns: list = [
    path("receipts/", api.ReceiptList.as_view(), name="receipts"),
    path("receipts/verify/", api.ReceiptVerify.as_view(), name="receipt-verify"),
    path("receipts/<uuid:pk>/", api.ReceiptDetail.as_view(), name="receipt"),
]
