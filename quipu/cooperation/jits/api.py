"""Thin DRF views over the JIT selectors and services; the same membership rules as the pages.
Domain errors become JSON by quipu/api/errors.py; input errors name their field."""

from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from quipu.api.parsers import MultiPartParser
from quipu.api.permissions import requires
from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.cooperation.jits import selectors
from quipu.cooperation.jits.attachments import attachment_add, attachment_open
from quipu.cooperation.jits.models import Attachment, Jit, Task
from quipu.cooperation.jits.serializers import (
    AttachmentSerializer,
    AttachmentUploadSerializer,
    CaseLinkSerializer,
    InvitationSerializer,
    InviteSerializer,
    JitDetailSerializer,
    JitOpenSerializer,
    JitSummarySerializer,
    MembershipSerializer,
    NoteSerializer,
    TaskCreateSerializer,
    TaskSerializer,
)
from quipu.cooperation.jits.services import (
    jit_close,
    jit_invite,
    jit_open,
    member_remove,
    membership_answer,
    membership_leave,
    purpose_of,
)
from quipu.cooperation.jits.workspace import case_link_add, note_add, task_add, task_complete
from quipu.errors import InvalidInput
from quipu.tenancy.permissions import principal_for
from quipu.tenancy.roles import Capability

WorksInJit = requires(Capability.WORK_IN_JIT)


def _visible(request, pk: int) -> Jit:
    try:
        return selectors.jit_visible(user=request.user, pk=pk, request=request)
    except Http404:
        raise NotFound() from None


def _detail(request, jit: Jit, *, audit: bool = True) -> dict:
    if audit:
        audit_record(
            actor=request.user,
            action=Action.READ,
            obj=jit,
            purpose=purpose_of(jit),
            detail={"jit": jit.pk, "via": "api"},
            request=request,
        )
    context = {
        "members": selectors.members_of(jit=jit),
        "cards": selectors.case_cards(jit=jit),
    }
    return JitDetailSerializer(jit, context=context).data


def _field_error(field: str, error: InvalidInput):
    """A service's refusal of one input, reported at that input's path."""
    return serializers.ValidationError({field: [str(error.message)]})


class JitList(generics.ListAPIView):
    """GET: the JITs your institution is an accepted member of.
    POST: open a JIT (prosecutors), your institution its first member, inviting others."""

    permission_classes = [WorksInJit]
    serializer_class = JitSummarySerializer

    def get_queryset(self):
        return selectors.jits_visible_to(user=self.request.user)

    @extend_schema(request=JitOpenSerializer, responses={201: JitDetailSerializer})
    def post(self, request):
        context = {"own_country": principal_for(request.user).country_id}
        incoming = JitOpenSerializer(data=request.data, context=context)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        data["lead_country"] = data["lead_country"].code
        jit = jit_open(actor=request.user, request=request, **data)
        return Response(_detail(request, jit), status=status.HTTP_201_CREATED)


class InvitationList(generics.ListAPIView):
    """Open invitations of your institution (for its prosecutors and focal point)."""

    permission_classes = [WorksInJit]
    serializer_class = InvitationSerializer

    def get_queryset(self):
        return selectors.invitations_for(user=self.request.user)


class JitDetail(APIView):
    """One JIT with its workspace: members, linked cases as reference cards, notes, tasks,
    files and history."""

    permission_classes = [WorksInJit]

    @extend_schema(responses=JitDetailSerializer)
    def get(self, request, pk: int):
        return Response(_detail(request, _visible(request, pk)))


class PostView(APIView):
    permission_classes = [WorksInJit]
    http_method_names = ["post", "options"]


class _InstitutionChange(PostView):
    """A change of one institution's membership, the institution named by its code."""

    change = staticmethod(jit_invite)

    @extend_schema(request=InviteSerializer, responses=JitDetailSerializer)
    def post(self, request, pk: int):
        jit = _visible(request, pk)
        incoming = InviteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            self.change(actor=request.user, jit=jit, request=request, **incoming.validated_data)
        except InvalidInput as error:
            raise _field_error("institution", error) from None
        return Response(_detail(request, jit, audit=False))


class JitInvite(_InstitutionChange):
    """Invite an institution of a member state (by its code)."""

    change = staticmethod(jit_invite)


class JitRemoval(_InstitutionChange):
    """Remove an invited or accepted institution (by its code): a prosecutor of the lead
    country. Its users lose the workspace at once; it can be invited again."""

    change = staticmethod(member_remove)


class JitMembership(PostView):
    """Accept or decline your institution's invitation, or leave the JIT."""

    @extend_schema(request=MembershipSerializer, responses=JitSummarySerializer)
    def post(self, request, pk: int):
        incoming = MembershipSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        action = incoming.validated_data["action"]
        if action == "leave":
            jit = _visible(request, pk)
            membership_leave(actor=request.user, jit=jit, request=request)
        else:
            member = selectors.invitations_for(user=request.user).filter(jit_id=pk).first()
            if member is None:
                raise NotFound()
            membership_answer(actor=request.user, jit=member.jit, action=action, request=request)
            jit = member.jit
        jit.refresh_from_db()
        return Response(JitSummarySerializer(jit).data)


class JitClose(PostView):
    """Close the JIT (a member of the lead country): the workspace becomes read-only."""

    @extend_schema(request=None, responses=JitSummarySerializer)
    def post(self, request, pk: int):
        jit = jit_close(actor=request.user, jit=_visible(request, pk), request=request)
        return Response(JitSummarySerializer(jit).data)


class JitNotes(PostView):
    """Add a note to the workspace."""

    @extend_schema(request=NoteSerializer, responses={201: NoteSerializer})
    def post(self, request, pk: int):
        jit = _visible(request, pk)
        incoming = NoteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            note = note_add(
                actor=request.user, jit=jit, text=incoming.validated_data["text"], request=request
            )
        except InvalidInput as error:
            raise _field_error("text", error) from None
        return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)


class JitTasks(PostView):
    """Add a task with an owner (a member's user, by user name) and a due date."""

    @extend_schema(request=TaskCreateSerializer, responses={201: TaskSerializer})
    def post(self, request, pk: int):
        jit = _visible(request, pk)
        incoming = TaskCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        owner = selectors.member_users(jit=jit).filter(username=data["owner"]).first()
        if owner is None:
            raise _field_error("owner", InvalidInput(_owner_message()))
        try:
            task = task_add(
                actor=request.user, jit=jit, request=request, **(data | {"owner": owner})
            )
        except InvalidInput as error:
            raise _field_error("title", error) from None
        return Response(TaskSerializer(task).data, status=status.HTTP_201_CREATED)


class JitTaskDone(PostView):
    """Mark a task of the workspace done."""

    @extend_schema(request=None, responses=TaskSerializer)
    def post(self, request, pk: int):
        task = Task.objects.filter(pk=pk).select_related("jit").first()
        if task is None:
            raise NotFound()
        _visible(request, task.jit_id)
        return Response(
            TaskSerializer(task_complete(actor=request.user, task=task, request=request)).data
        )


def _owner_message() -> str:
    from django.utils.translation import gettext

    return gettext("The task's owner must work for a member of the JIT.")


class JitCases(PostView):
    """Link a case of your own country (by its reference) to the workspace."""

    @extend_schema(request=CaseLinkSerializer, responses={201: CaseLinkSerializer})
    def post(self, request, pk: int):
        jit = _visible(request, pk)
        incoming = CaseLinkSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        reference = incoming.validated_data["case"]
        case = selectors.cases_linkable_by(user=request.user).filter(reference=reference).first()
        if case is None:
            raise serializers.ValidationError({"case": [_linkable_message()]})
        case_link_add(actor=request.user, jit=jit, case=case, request=request)
        return Response({"case": case.reference}, status=status.HTTP_201_CREATED)


def _linkable_message() -> str:
    from django.utils.translation import gettext

    return gettext("You may link only cases of your own country that you may read.")


class JitAttachments(PostView):
    """Upload a file (multipart, field `file`): checked by content and size, or refused."""

    parser_classes = [MultiPartParser]

    @extend_schema(request=AttachmentUploadSerializer, responses={201: AttachmentSerializer})
    def post(self, request, pk: int):
        jit = _visible(request, pk)
        incoming = AttachmentUploadSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            attachment = attachment_add(
                actor=request.user, jit=jit, upload=incoming.validated_data["file"], request=request
            )
        except InvalidInput as error:
            raise _field_error("file", error) from None
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


class JitAttachmentDownload(APIView):
    """Download a file of the workspace (audited as an export)."""

    permission_classes = [WorksInJit]

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, pk: int):
        attachment = Attachment.objects.filter(pk=pk).select_related("jit").first()
        if attachment is None:
            raise NotFound()
        _visible(request, attachment.jit_id)
        handle = attachment_open(actor=request.user, attachment=attachment, request=request)
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=attachment.name,
            content_type=attachment.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
