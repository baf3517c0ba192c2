"""Thin DRF views: the caller's own notifications, and marking one as read."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from quipu.notifications.models import Notification
from quipu.notifications.services import notification_open, notifications_for


class NotificationSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "url", "created_at", "read_at"]


class NotificationList(generics.ListAPIView):
    """The caller's notifications, newest first; `?unread=1` for the unread ones."""

    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        rows = notifications_for(user=self.request.user)
        if self.request.query_params.get("unread") == "1":
            rows = rows.filter(read_at__isnull=True)
        return rows


class NotificationRead(generics.GenericAPIView):
    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=NotificationSerializer)
    def post(self, request, pk: int):
        try:
            notification = notifications_for(user=request.user).get(pk=pk)
        except Notification.DoesNotExist:
            raise Http404 from None
        notification_open(actor=request.user, notification=notification)
        return Response(NotificationSerializer(notification).data)
