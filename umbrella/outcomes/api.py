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
    CourtResult,
    CourtResultKind,
    Decider,
    InvestigationOutcome,
    ReviewResult,
    ReviewScheme,
    RightToReviewRequest,
)
from umbrella.outcomes.policy import can_record_outcome, can_record_prosecution
from umbrella.outcomes.selectors import (
    charging_decisions_of,
    court_results_of,
    outcomes_of,
    review_get,
    reviews_of,
)


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


class _CrimeHistory(APIView):
    """A crime's history of one kind of decision: GET it newest first, POST a new one (earlier ones
    are kept). Reads follow the record's scope (404); writes, the owning force's writers (403)."""

    output: type[serializers.Serializer[Any]]
    whose: str  # "outcomes", as in "Your role cannot record outcomes."
    prosecution = False  # charging decisions and court results: the CPS the crime was shared with too

    def history(self, record: Record) -> Any:
        raise NotImplementedError

    def add(self, user: User, record: Record, values: dict[str, Any]) -> Any:
        raise NotImplementedError

    def _list(self, request: Request, record_id: int) -> Response:
        record = _visible(cast(User, request.user), record_id)
        return Response(self.output(self.history(record), many=True).data)

    def _add(self, request: Request, record_id: int, given: type[serializers.Serializer[Any]]) -> Response:
        user = cast(User, request.user)
        if not can_write_records(user):
            raise exceptions.PermissionDenied(f"Your role cannot record {self.whose}.")
        record = _visible(user, record_id)
        if not (can_record_prosecution if self.prosecution else can_record_outcome)(user, record):
            raise exceptions.PermissionDenied(f"Only the police force that owns this crime records its {self.whose}.")
        data = given(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            row = self.add(user, record, data.validated_data)
        except ValidationError as error:
            raise exceptions.ValidationError(error.message_dict) from None
        except PermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from None
        return Response(self.output(row).data, status=status.HTTP_201_CREATED)


class RecordOutcomes(_CrimeHistory):
    output = OutcomeSerializer
    whose = "outcomes"

    def history(self, record: Record) -> Any:
        return outcomes_of(record=record)

    def add(self, user: User, record: Record, values: dict[str, Any]) -> Any:
        return services.outcome_record(
            actor=user, record=record, outcome_code=values["outcome"], decided_on=values["decided_on"],
            suspect_identified=values["suspect_identified"],
        )

    @extend_schema(responses={200: OutcomeSerializer(many=True)})
    def get(self, request: Request, record_id: int) -> Response:
        return self._list(request, record_id)

    @extend_schema(request=OutcomeInputSerializer, responses={201: OutcomeSerializer})
    def post(self, request: Request, record_id: int) -> Response:
        return self._add(request, record_id, OutcomeInputSerializer)


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


class RecordChargingDecisions(_CrimeHistory):
    output = ChargingDecisionSerializer
    whose = "charging decisions"
    prosecution = True

    def history(self, record: Record) -> Any:
        return charging_decisions_of(record=record)

    def add(self, user: User, record: Record, values: dict[str, Any]) -> Any:
        return services.charging_decision_record(
            actor=user, record=record, decision=values["decision"], decided_by=values["decided_by"],
            decided_on=values["decided_on"],
        )

    @extend_schema(responses={200: ChargingDecisionSerializer(many=True)})
    def get(self, request: Request, record_id: int) -> Response:
        return self._list(request, record_id)

    @extend_schema(request=ChargingDecisionInputSerializer, responses={201: ChargingDecisionSerializer})
    def post(self, request: Request, record_id: int) -> Response:
        return self._add(request, record_id, ChargingDecisionInputSerializer)


class CourtResultInputSerializer(serializers.Serializer[dict[str, Any]]):
    result = serializers.ChoiceField(choices=CourtResultKind.choices)
    decided_on = serializers.DateField(help_text="When the court decided (not before the charge, not in the future).")
    offence = TextField(max_length=32, required=False, allow_blank=True, default="",
                        help_text="For a conviction: a current code of the 'offence' reference scheme.")
    sentence = TextField(max_length=200, required=False, allow_blank=True, default="")
    uplift_applied = serializers.BooleanField(required=False, default=False,
                                              help_text="The court increased the sentence for hostility (s.66 Sentencing Act 2020).")
    uplift_announced = serializers.BooleanField(required=False, default=False, help_text="…and said so in open court.")


class CourtResultSerializer(serializers.Serializer[CourtResult]):
    id = serializers.IntegerField()
    result = serializers.CharField()
    result_label = serializers.CharField(source="get_result_display")
    decided_on = serializers.DateField()
    offence = serializers.CharField(source="offence.code", allow_null=True, default=None)
    sentence = serializers.CharField()
    uplift_applied = serializers.BooleanField()
    uplift_announced = serializers.BooleanField()
    recorded_at = serializers.DateTimeField()


class RecordCourtResults(_CrimeHistory):
    output = CourtResultSerializer
    whose = "court results"
    prosecution = True

    def history(self, record: Record) -> Any:
        return court_results_of(record=record)

    def add(self, user: User, record: Record, values: dict[str, Any]) -> Any:
        return services.court_result_record(
            actor=user, record=record, result=values["result"], decided_on=values["decided_on"],
            offence_code=values["offence"], sentence=values["sentence"], uplift_applied=values["uplift_applied"],
            uplift_announced=values["uplift_announced"],
        )

    @extend_schema(responses={200: CourtResultSerializer(many=True)})
    def get(self, request: Request, record_id: int) -> Response:
        return self._list(request, record_id)

    @extend_schema(request=CourtResultInputSerializer, responses={201: CourtResultSerializer})
    def post(self, request: Request, record_id: int) -> Response:
        return self._add(request, record_id, CourtResultInputSerializer)


class ReviewRequestInputSerializer(serializers.Serializer[dict[str, Any]]):
    scheme = serializers.ChoiceField(choices=ReviewScheme.choices, help_text="police or cps")
    requested_on = serializers.DateField(help_text="When the victim asked (not before the decision, not in the future).")


class ReviewResultInputSerializer(serializers.Serializer[dict[str, Any]]):
    result = serializers.ChoiceField(choices=ReviewResult.choices)
    decided_on = serializers.DateField(help_text="When the review was decided (not before the request, not in the future).")


class ReviewSerializer(serializers.Serializer[RightToReviewRequest]):
    id = serializers.IntegerField()
    scheme = serializers.CharField()
    requested_on = serializers.DateField()
    result = serializers.CharField(help_text="upheld, not_upheld, or empty while the review is waiting")
    decided_on = serializers.DateField(allow_null=True)
    recorded_at = serializers.DateTimeField()


class RecordRightToReview(_CrimeHistory):
    output = ReviewSerializer
    whose = "Right to Review requests"

    def history(self, record: Record) -> Any:
        return reviews_of(record=record)

    def add(self, user: User, record: Record, values: dict[str, Any]) -> Any:
        return services.right_to_review_request(
            actor=user, record=record, scheme=values["scheme"], requested_on=values["requested_on"]
        )

    @extend_schema(responses={200: ReviewSerializer(many=True)})
    def get(self, request: Request, record_id: int) -> Response:
        return self._list(request, record_id)

    @extend_schema(request=ReviewRequestInputSerializer, responses={201: ReviewSerializer})
    def post(self, request: Request, record_id: int) -> Response:
        return self._add(request, record_id, ReviewRequestInputSerializer)


class RightToReviewResult(APIView):
    """POST a review's result, once (the same checks as the page)."""

    @extend_schema(request=ReviewResultInputSerializer, responses={200: ReviewSerializer})
    def post(self, request: Request, review_id: int) -> Response:
        user = cast(User, request.user)
        if not can_write_records(user):  # the role first: the answer says nothing of the review
            raise exceptions.PermissionDenied("Your role cannot record review results.")
        try:
            review = review_get(user=user, review_id=review_id)
        except RightToReviewRequest.DoesNotExist:
            raise exceptions.NotFound() from None
        if not can_record_outcome(user, review.record):
            raise exceptions.PermissionDenied("Only the police force that owns this crime records review results.")
        data = ReviewResultInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            review = services.right_to_review_decide(
                actor=user, review=review, result=data.validated_data["result"],
                decided_on=data.validated_data["decided_on"],
            )
        except ValidationError as error:
            raise exceptions.ValidationError(error.message_dict) from None
        except PermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from None
        return Response(ReviewSerializer(review).data)


# Included under /api/v1/ by the project's URLconf, before the API's own catch-all.
app_name = "outcomes-api"
urlpatterns = [
    path("records/<int:record_id>/outcomes/", RecordOutcomes.as_view(), name="record-outcomes"),
    path("records/<int:record_id>/charging-decisions/", RecordChargingDecisions.as_view(), name="record-charging-decisions"),
    path("records/<int:record_id>/court-results/", RecordCourtResults.as_view(), name="record-court-results"),
    path("records/<int:record_id>/right-to-review/", RecordRightToReview.as_view(), name="record-right-to-review"),
    path("right-to-review/<int:review_id>/result/", RightToReviewResult.as_view(), name="right-to-review-result"),
]
