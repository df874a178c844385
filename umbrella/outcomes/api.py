"""The outcomes API, under /api/v1/: a record's outcome history, and recording a new outcome with
the same checks as the page (role 403, scope 404, bad input a 400 problem naming the field)."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from umbrella.accounts.models import User
from umbrella.api.fields import TextField
from umbrella.cases.models import Record
from umbrella.cases.policy import can_write_records
from umbrella.cases.selectors import record_get
from umbrella.outcomes import services
from umbrella.outcomes.models import (
    ChargingDecision,
    ChargingDecisionKind,
    Decider,
    InvestigationOutcome,
)
from umbrella.outcomes.policy import can_record_outcome
from umbrella.outcomes.selectors import charging_decisions_of, outcomes_of


class OutcomeInputSerializer(serializers.Serializer[dict[str, Any]]):
    outcome = TextField(max_length=32, help_text="A current code of the 'outcome' reference scheme, e.g. \"1\".")
    decided_on = serializers.DateField(help_text="When the outcome was decided (not before the crime, not in the future).")
    suspect_identified = serializers.BooleanField()


class OutcomeSerializer(serializers.Serializer[InvestigationOutcome]):
    id = serializers.IntegerField()
    outcome = serializers.CharField(source="outcome.code")
    outcome_label = serializers.CharField(source="outcome.label")
    group = serializers.SerializerMethodField()
    decided_on = serializers.DateField()
    suspect_identified = serializers.BooleanField()
    recorded_at = serializers.DateTimeField()

    def get_group(self, outcome: InvestigationOutcome) -> str:
        return str(outcome.outcome.attributes.get("group", ""))


def _visible(user: User, record_id: int) -> Record:
    try:
        return record_get(user=user, record_id=record_id)
    except Record.DoesNotExist:
        raise exceptions.NotFound() from None


class RecordOutcomes(APIView):
    """GET the record's outcomes, newest first; POST a new one (earlier ones are kept)."""

    @extend_schema(responses={200: OutcomeSerializer(many=True)})
    def get(self, request: Request, record_id: int) -> Response:
        record = _visible(cast(User, request.user), record_id)
        history = cast(Any, outcomes_of(record=record))  # a list serializer takes the queryset
        return Response(OutcomeSerializer(history, many=True).data)

    @extend_schema(request=OutcomeInputSerializer, responses={201: OutcomeSerializer})
    def post(self, request: Request, record_id: int) -> Response:
        user = cast(User, request.user)
        if not can_write_records(user):
            raise exceptions.PermissionDenied("Your role cannot record outcomes.")
        record = _visible(user, record_id)
        if not can_record_outcome(user, record):
            raise exceptions.PermissionDenied("Only the police force that owns this crime records its outcome.")
        data = OutcomeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            outcome = services.outcome_record(
                actor=user, record=record, outcome_code=values["outcome"], decided_on=values["decided_on"],
                suspect_identified=values["suspect_identified"],
            )
        except ValidationError as error:
            raise exceptions.ValidationError(error.message_dict) from None
        except PermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from None
        return Response(OutcomeSerializer(outcome).data, status=status.HTTP_201_CREATED)


class ChargingDecisionInputSerializer(serializers.Serializer[dict[str, Any]]):
    decision = serializers.ChoiceField(choices=ChargingDecisionKind.choices)
    decided_by = serializers.ChoiceField(choices=Decider.choices, help_text="police or cps")
    decided_on = serializers.DateField(help_text="When it was decided (not before the crime, not in the future).")


class ChargingDecisionSerializer(serializers.Serializer[ChargingDecision]):
    id = serializers.IntegerField()
    decision = serializers.CharField()
    decision_label = serializers.CharField(source="get_decision_display")
    decided_by = serializers.CharField()
    decided_on = serializers.DateField()
    recorded_at = serializers.DateTimeField()


class RecordChargingDecisions(APIView):
    """GET the crime's charging decisions, newest first; POST a new one (earlier ones are kept)."""

    @extend_schema(responses={200: ChargingDecisionSerializer(many=True)})
    def get(self, request: Request, record_id: int) -> Response:
        record = _visible(cast(User, request.user), record_id)
        history = cast(Any, charging_decisions_of(record=record))
        return Response(ChargingDecisionSerializer(history, many=True).data)

    @extend_schema(request=ChargingDecisionInputSerializer, responses={201: ChargingDecisionSerializer})
    def post(self, request: Request, record_id: int) -> Response:
        user = cast(User, request.user)
        if not can_write_records(user):
            raise exceptions.PermissionDenied("Your role cannot record charging decisions.")
        record = _visible(user, record_id)
        if not can_record_outcome(user, record):
            raise exceptions.PermissionDenied("Only the police force that owns this crime records its charging decisions.")
        data = ChargingDecisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            row = services.charging_decision_record(
                actor=user, record=record, decision=values["decision"], decided_by=values["decided_by"],
                decided_on=values["decided_on"],
            )
        except ValidationError as error:
            raise exceptions.ValidationError(error.message_dict) from None
        except PermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from None
        return Response(ChargingDecisionSerializer(row).data, status=status.HTTP_201_CREATED)


# Included under /api/v1/ by the project's URLconf, before the API's own catch-all.
app_name = "outcomes-api"
urlpatterns = [
    path("records/<int:record_id>/outcomes/", RecordOutcomes.as_view(), name="record-outcomes"),
    path("records/<int:record_id>/charging-decisions/", RecordChargingDecisions.as_view(), name="record-charging-decisions"),
]
