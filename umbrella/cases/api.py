"""The record API under /api/v1/records/: parse with a serializer, call a cases service or
selector, render. Every read goes through ``cases.selectors`` (scoped with ``visible_to``), every
write through ``cases.services`` (atomic and audited). Whatever fails becomes an RFC 9457 problem.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import QuerySet
from django.urls import path, reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from umbrella.api.errors import InvalidQueryParameter
from umbrella.api.pagination import RecordPagination
from umbrella.api.views import READ_PROBLEMS, WRITE_PROBLEMS, ApiView, actor_of, problems
from umbrella.cases import services
from umbrella.cases.inputs import LocationInput
from umbrella.cases.models import Record
from umbrella.cases.policy import can_read_records, can_write_records
from umbrella.cases.selectors import (
    can_change_record,
    record_detail,
    record_editable_text,
    record_get,
    record_list,
    strand_removable,
)
from umbrella.cases.serializers import (
    LinkAddedSerializer,
    LinkInputSerializer,
    OffenceInputSerializer,
    OffenceSerializer,
    PersonAddedSerializer,
    PersonInputSerializer,
    RecordCreateSerializer,
    RecordDetailSerializer,
    RecordFilterSerializer,
    RecordSummarySerializer,
    RecordUpdateSerializer,
    StatusChangeSerializer,
    StrandInputSerializer,
    StrandRemoveSerializer,
    StrandSerializer,
)

# The sealed columns of a record a partial update keeps when it leaves them out.
PLACE_FIELDS = {"location_description", "postcode", "latitude", "longitude"}
RECORD_ID = OpenApiParameter("record_id", int, OpenApiParameter.PATH, description="The record's numeric id.")


# Role gates for record endpoints, the same as the record pages apply. Writes: a role that can
# never change records is told so with 403 before anything about the record is looked at, so the
# answer says nothing about which records exist (and an empty body never reaches validation). The
# list: a role that cannot read records gets 403, as on the list page. Reading one record has no
# role gate: scope decides, and out of scope is 404.
class RecordAccess(BasePermission):
    message = "Your role does not give access to individual records."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if user is None or not user.is_authenticated:
            return False
        if request.method in SAFE_METHODS:
            return can_read_records(user) or not getattr(view, "gates_reads", False)
        if not can_write_records(user):
            self.message = "Your role cannot change records."
            return False
        return True


def record_url(record: Record) -> str:
    return reverse("cases-api:record-detail", kwargs={"record_id": record.pk})


# Record endpoints: writes check the role (403), then scope (404), then the body (400); reads of
# one record check scope only (404), as the pages do. (A comment, not a docstring: drf-spectacular
# would publish a docstring as every operation's description.)
class RecordApiView(ApiView):
    permission_classes = [IsAuthenticated, RecordAccess]

    def visible_record(self, request: Request, record_id: int) -> Record:
        return record_get(user=actor_of(request), record_id=record_id)

    def changeable_record(self, request: Request, record_id: int) -> Record:
        # A share lets another organisation read a record, never change it: 403 before the body
        # is read, as the service would refuse it anyway.
        record = self.visible_record(request, record_id)
        if not can_change_record(actor_of(request), record):
            raise exceptions.PermissionDenied("This record was shared with your organisation to read; only its owner can change it.")
        return record


class RecordListCreate(GenericAPIView[Record], RecordApiView):
    pagination_class = RecordPagination
    serializer_class = RecordSummarySerializer
    # Like the list page: a role that reads no records is told so (403) rather than shown nothing.
    gates_reads = True

    def get_queryset(self) -> QuerySet[Record]:
        query = {key: value for key, value in self.request.query_params.items() if value != ""}
        filters = RecordFilterSerializer(data=query)
        if not filters.is_valid():
            raise InvalidQueryParameter(filters.errors)
        # record_list prefetches strands; the extra joins keep the page at a fixed number of queries.
        return (
            record_list(user=actor_of(self.request), filters=filters.to_filters())
            .select_related("location_type", "online_platform")
            .prefetch_related("strands__perceiver")
        )

    @extend_schema(
        summary="List records you can see",
        operation_id="records_list",
        parameters=[RecordFilterSerializer],
        responses={200: RecordSummarySerializer(many=True), **problems(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(RecordSummarySerializer(page, many=True).data)

    @extend_schema(
        summary="Create a record",
        operation_id="records_create",
        request=RecordCreateSerializer,
        responses={201: RecordSummarySerializer, **WRITE_PROBLEMS},
    )
    def post(self, request: Request) -> Response:
        payload = RecordCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        record = services.record_create(actor=actor_of(request), **payload.service_kwargs())
        return Response(
            RecordSummarySerializer(record).data, status=status.HTTP_201_CREATED, headers={"Location": record_url(record)}
        )


class RecordDetail(RecordApiView):
    @extend_schema(
        summary="Read one record",
        operation_id="records_retrieve",
        description=(
            "Decrypted as far as you are entitled: analysts see pseudonyms, anonymised shares no "
            "identity fields. Every call is audited."
        ),
        parameters=[RECORD_ID],
        responses={200: RecordDetailSerializer, **READ_PROBLEMS},
    )
    def get(self, request: Request, record_id: int) -> Response:
        view = record_detail(user=actor_of(request), record_id=record_id)
        return Response(RecordDetailSerializer(view).data)

    @extend_schema(
        summary="Replace a record's editable fields",
        operation_id="records_update",
        parameters=[RECORD_ID],
        request=RecordUpdateSerializer,
        responses={200: RecordSummarySerializer, **WRITE_PROBLEMS, **problems(409)},
    )
    def put(self, request: Request, record_id: int) -> Response:
        return self._update(request, record_id, partial=False)

    @extend_schema(
        summary="Change some of a record's editable fields",
        operation_id="records_partial_update",
        parameters=[RECORD_ID],
        request=RecordUpdateSerializer(partial=True),
        responses={200: RecordSummarySerializer, **WRITE_PROBLEMS, **problems(409)},
    )
    def patch(self, request: Request, record_id: int) -> Response:
        return self._update(request, record_id, partial=True)

    def _update(self, request: Request, record_id: int, *, partial: bool) -> Response:
        actor = actor_of(request)
        record = self.changeable_record(request, record_id)
        payload = RecordUpdateSerializer(data=request.data, partial=partial)
        payload.is_valid(raise_exception=True)
        kept = None
        if not PLACE_FIELDS | {"narrative"} <= payload.validated_data.keys():
            kept = record_editable_text(user=actor, record=record)
        updated = services.record_update(
            actor=actor, record=record,
            **payload.service_kwargs(
                record,
                current_narrative=kept.narrative if kept else None,
                current_place=kept.place if kept else LocationInput(),
            ),
        )
        return Response(RecordSummarySerializer(updated).data)


class RecordStatusChange(RecordApiView):
    @extend_schema(
        summary="Move a record to another status",
        operation_id="records_status_change",
        parameters=[RECORD_ID],
        request=StatusChangeSerializer,
        responses={200: RecordSummarySerializer, **WRITE_PROBLEMS},
    )
    def post(self, request: Request, record_id: int) -> Response:
        record = self.changeable_record(request, record_id)
        payload = StatusChangeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        updated = services.record_change_status(
            actor=actor_of(request), record=record,
            status=payload.validated_data["status"], reason=payload.validated_data["reason"],
            reason_code=payload.validated_data["reason_code"],
        )
        return Response(RecordSummarySerializer(updated).data)


class RecordStrandAdd(RecordApiView):
    field_names: ClassVar[dict[str, str]] = {"strands": "strand"}

    @extend_schema(
        summary="Add a strand of hate to a record",
        operation_id="records_strands_add",
        parameters=[RECORD_ID],
        request=StrandInputSerializer,
        responses={201: StrandSerializer, **WRITE_PROBLEMS},
    )
    def post(self, request: Request, record_id: int) -> Response:
        record = self.changeable_record(request, record_id)
        payload = StrandInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        row = services.record_add_strand(
            actor=actor_of(request), record=record, strand=StrandInputSerializer.to_input(dict(payload.validated_data))
        )
        return Response(StrandSerializer(row).data, status=status.HTTP_201_CREATED)


class RecordStrandRemove(RecordApiView):
    @extend_schema(
        summary="Remove a strand entered in error",
        description="Only the person who added the strand, or a supervisor, may remove it, with a reason. "
                    "A perceived strand is never removed to disagree with it: reviewers record an "
                    "evidential assessment instead.",
        operation_id="records_strands_remove",
        parameters=[RECORD_ID, OpenApiParameter("strand_id", int, OpenApiParameter.PATH)],
        request=StrandRemoveSerializer,
        responses={204: None, **WRITE_PROBLEMS},
    )
    def delete(self, request: Request, record_id: int, strand_id: int) -> Response:
        record = self.changeable_record(request, record_id)
        # Who may remove comes before what was sent, as on the page: a 403 names no field.
        if not strand_removable(user=actor_of(request), record=record, strand_id=strand_id):
            raise exceptions.PermissionDenied("Only the person who added this strand, or a supervisor, can remove it.")
        payload = StrandRemoveSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.record_remove_strand(
            actor=actor_of(request), record=record, strand_id=strand_id, reason=payload.validated_data["reason"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class RecordOffenceAdd(RecordApiView):
    @extend_schema(
        summary="Add an offence to a record",
        operation_id="records_offences_add",
        parameters=[RECORD_ID],
        request=OffenceInputSerializer,
        responses={201: OffenceSerializer, **WRITE_PROBLEMS},
    )
    def post(self, request: Request, record_id: int) -> Response:
        record = self.changeable_record(request, record_id)
        payload = OffenceInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        row = services.record_add_offence(
            actor=actor_of(request), record=record, offence=OffenceInputSerializer.to_input(dict(payload.validated_data))
        )
        return Response(OffenceSerializer(row).data, status=status.HTTP_201_CREATED)


class RecordPersonAdd(RecordApiView):
    @extend_schema(
        summary="Add a person to a record in a role",
        operation_id="records_people_add",
        description="Identity fields are encrypted with the owning organisation's key; the answer never repeats them.",
        parameters=[RECORD_ID],
        request=PersonInputSerializer,
        responses={201: PersonAddedSerializer, **WRITE_PROBLEMS},
    )
    def post(self, request: Request, record_id: int) -> Response:
        record = self.changeable_record(request, record_id)
        payload = PersonInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        link = services.record_add_person(
            actor=actor_of(request), record=record, person=PersonInputSerializer.to_input(dict(payload.validated_data))
        )
        return Response({"id": link.person_id, "role": link.role}, status=status.HTTP_201_CREATED)


class RecordLinkAdd(RecordApiView):
    @extend_schema(
        summary="Link a record to another record",
        operation_id="records_links_add",
        parameters=[RECORD_ID],
        request=LinkInputSerializer,
        responses={201: LinkAddedSerializer, **WRITE_PROBLEMS},
    )
    def post(self, request: Request, record_id: int) -> Response:
        actor = actor_of(request)
        record = self.changeable_record(request, record_id)
        payload = LinkInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        other_id = payload.validated_data["other"]
        try:
            other = record_get(user=actor, record_id=other_id)
        except Record.DoesNotExist:
            # A 400 naming the field, but worded so it does not say whether the record exists.
            raise exceptions.ValidationError(
                {"other": f"There is no record with id {other_id} that you can see."}
            ) from None
        link = services.record_link(
            actor=actor, record=record, other=other, reason=payload.validated_data["reason"]
        )
        # The stored reason is sealed; the caller gets back the words it sent.
        added = {**LinkAddedSerializer(link).data, "reason": payload.validated_data["reason"].strip()}
        return Response(added, status=status.HTTP_201_CREATED)


app_name = "cases-api"

urlpatterns = [
    path("records/", RecordListCreate.as_view(), name="record-list"),
    path("records/<int:record_id>/", RecordDetail.as_view(), name="record-detail"),
    path("records/<int:record_id>/status/", RecordStatusChange.as_view(), name="record-status"),
    path("records/<int:record_id>/strands/", RecordStrandAdd.as_view(), name="record-strands"),
    path(
        "records/<int:record_id>/strands/<int:strand_id>/",
        RecordStrandRemove.as_view(),
        name="record-strand-remove",
    ),
    path("records/<int:record_id>/offences/", RecordOffenceAdd.as_view(), name="record-offences"),
    path("records/<int:record_id>/people/", RecordPersonAdd.as_view(), name="record-people"),
    path("records/<int:record_id>/links/", RecordLinkAdd.as_view(), name="record-links"),
]
