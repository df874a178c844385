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
from umbrella.api.errors import InvalidQueryParameter
from umbrella.api.fields import TextField
from umbrella.api.views import problems
from umbrella.cases.models import Record, RecordKind
from umbrella.cases.policy import can_write_records
from umbrella.cases.selectors import record_get
from umbrella.cases.serializers import RecordFilterSerializer
from umbrella.outcomes import services
from umbrella.outcomes.funnel import STAGES, DropReason, Funnel, Stage, attrition_funnel
from umbrella.outcomes.models import (
    ChargingDecision,
    ChargingDecisionKind,
    CourtHearing,
    CourtResult,
    CourtResultKind,
    Decider,
    HearingKind,
    InvestigationOutcome,
    Plea,
    ReviewResult,
    ReviewScheme,
    RightToReviewRequest,
)
from umbrella.outcomes.policy import can_record_outcome, can_record_prosecution, can_see_funnel
from umbrella.outcomes.selectors import (
    charging_decisions_of,
    court_hearings_of,
    court_results_of,
    outcomes_of,
    review_get,
    reviews_of,
)
from umbrella.reference.api import CodeField


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


class CourtHearingInputSerializer(serializers.Serializer[dict[str, Any]]):
    kind = serializers.ChoiceField(choices=HearingKind.choices)
    heard_on = serializers.DateField(help_text="The hearing's date: not before the charge; a listed hearing may be ahead (up to two years).")
    plea = serializers.ChoiceField(choices=Plea.choices, required=False, default=Plea.NOT_ENTERED,
                                   help_text="The plea entered there; only for a hearing that has happened.")


class CourtHearingSerializer(serializers.Serializer[CourtHearing]):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    heard_on = serializers.DateField()
    plea = serializers.CharField()
    recorded_at = serializers.DateTimeField()


class RecordCourtHearings(_CrimeHistory):
    output = CourtHearingSerializer
    whose = "court hearings"
    prosecution = True

    def history(self, record: Record) -> Any:
        return court_hearings_of(record=record)

    def add(self, user: User, record: Record, values: dict[str, Any]) -> Any:
        return services.court_hearing_record(
            actor=user, record=record, kind=values["kind"], heard_on=values["heard_on"], plea=values["plea"],
        )

    @extend_schema(responses={200: CourtHearingSerializer(many=True)})
    def get(self, request: Request, record_id: int) -> Response:
        return self._list(request, record_id)

    @extend_schema(request=CourtHearingInputSerializer, responses={201: CourtHearingSerializer})
    def post(self, request: Request, record_id: int) -> Response:
        return self._add(request, record_id, CourtHearingInputSerializer)


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
class FunnelFilterSerializer(RecordFilterSerializer):
    """The record list's filters, the victim's equality monitoring, and whether to add median days."""

    victim_ethnicity = CodeField(scheme="ethnicity", required=False, help_text="A victim on the case has this ethnicity.")
    victim_sex = CodeField(scheme="sex", required=False)
    victim_age_band = CodeField(scheme="age_band", required=False)
    victim_disability = CodeField(scheme="disability", required=False)
    victim_religion = CodeField(scheme="religion", required=False)
    medians = serializers.BooleanField(required=False, default=False, help_text="Add the median days from the report to each stage (slower).")


class StageSerializer(serializers.Serializer[Stage]):
    key = serializers.ChoiceField(choices=[key for key, _ in STAGES])
    # DRF lifts declared fields off the class, so this shadows Field.label only for the type checker.
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField()
    percent_of_reported = serializers.FloatField()
    open_at_stage = serializers.IntegerField(help_text="Cases that reached this stage and have gone no further yet.")
    median_days = serializers.IntegerField(allow_null=True, help_text="Only when medians=true.")


class DropReasonSerializer(serializers.Serializer[DropReason]):
    after_stage = serializers.CharField()
    reason = serializers.CharField()
    count = serializers.IntegerField()


class OtherCrimeSerializer(serializers.Serializer[Funnel]):
    stages = StageSerializer(many=True)


class FunnelSerializer(serializers.Serializer[dict[str, Any]]):
    stages = StageSerializer(many=True)
    reasons = DropReasonSerializer(many=True, help_text="Between two stages, the reasons add up to the drop.")
    other_crime = OtherCrimeSerializer(
        allow_null=True, help_text="The same stages over the other crime you may see (e.g. data.police.uk), or null when there is none."
    )


class AttritionFunnel(APIView):
    """The attrition funnel of the records the caller may see (supervisors, analysts, the hub)."""

    @extend_schema(
        summary="The attrition funnel: stages, why cases stop, and other crime beside it",
        operation_id="outcomes_funnel",
        parameters=[FunnelFilterSerializer],
        responses={200: FunnelSerializer, **problems(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        user = cast(User, request.user)
        if not can_see_funnel(user):
            raise exceptions.PermissionDenied("Your role does not give access to the attrition funnel.")
        query = {key: value for key, value in request.query_params.items() if value != ""}
        given = FunnelFilterSerializer(data=query)
        if not given.is_valid():
            raise InvalidQueryParameter(given.errors)
        filters = given.to_filters()
        funnel = attrition_funnel(user=user, filters=filters, medians=bool(given.validated_data.get("medians")))
        other = attrition_funnel(user=user, filters=filters, kinds=(RecordKind.OTHER_CRIME,))
        body = {"stages": funnel.stages, "reasons": funnel.reasons, "other_crime": other if other.reported else None}
        return Response(FunnelSerializer(body).data)


urlpatterns = [
    path("outcomes/funnel/", AttritionFunnel.as_view(), name="outcomes-funnel"),
    path("records/<int:record_id>/outcomes/", RecordOutcomes.as_view(), name="record-outcomes"),
    path("records/<int:record_id>/charging-decisions/", RecordChargingDecisions.as_view(), name="record-charging-decisions"),
    path("records/<int:record_id>/court-results/", RecordCourtResults.as_view(), name="record-court-results"),
    path("records/<int:record_id>/court-hearings/", RecordCourtHearings.as_view(), name="record-court-hearings"),
    path("records/<int:record_id>/right-to-review/", RecordRightToReview.as_view(), name="record-right-to-review"),
    path("right-to-review/<int:review_id>/result/", RightToReviewResult.as_view(), name="right-to-review-result"),
]
