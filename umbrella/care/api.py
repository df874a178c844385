"""The referral API, under /api/v1/ with the others: making a referral checks consent on the
server, exactly as the page does."""

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
from umbrella.agencies.models import Organisation
from umbrella.api.fields import TextField
from umbrella.care import services
from umbrella.cases.models import Record
from umbrella.cases.policy import can_write_records
from umbrella.cases.selectors import can_change_record, record_get


class ReferralInputSerializer(serializers.Serializer[dict[str, Any]]):
    record_id = serializers.IntegerField()
    to_organisation_id = serializers.IntegerField()
    reason = TextField(max_length=2000)
    consent_reference = TextField(max_length=40, required=False, allow_blank=True, default="")
    override_reason = TextField(max_length=2000, required=False, allow_blank=True, default="")


class ReferralCreatedSerializer(serializers.Serializer[dict[str, Any]]):
    id = serializers.IntegerField()
    reference = TextField()
    status = TextField()
    to_organisation_id = serializers.IntegerField()
    consent_reference = TextField()
    overridden = serializers.BooleanField()
    sla_due_at = serializers.DateTimeField()


class ReferralCreateView(APIView):
    """POST a referral. 400 when the victim has not consented (and no permitted override), 403 when
    the role may not refer or override, 404 when the record is not visible."""

    @extend_schema(request=ReferralInputSerializer, responses={201: ReferralCreatedSerializer})
    def post(self, request: Request) -> Response:
        user = cast(User, request.user)
        if not can_write_records(user):
            raise exceptions.PermissionDenied("Your role cannot make referrals.")
        data = ReferralInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            record = record_get(user=user, record_id=values["record_id"])
        except Record.DoesNotExist:
            raise exceptions.NotFound() from None
        if not can_change_record(user, record):
            raise exceptions.PermissionDenied("Only the owning organisation can refer from this record.")
        organisation = Organisation.objects.filter(pk=values["to_organisation_id"]).first()
        if organisation is None:
            raise exceptions.ValidationError({"to_organisation_id": ["No such organisation"]})
        try:
            referral = services.referral_create(
                actor=user, record=record, to_organisation=organisation, reason=values["reason"],
                consent_reference=values["consent_reference"], override_reason=values["override_reason"],
            )
        except ValidationError as error:
            detail = error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
            raise exceptions.ValidationError(detail) from None
        except PermissionDenied as error:
            raise exceptions.PermissionDenied(str(error)) from None
        return Response({
            "id": referral.pk, "reference": referral.reference, "status": referral.status,
            "to_organisation_id": referral.to_organisation_id, "consent_reference": referral.consent_reference,
            "overridden": referral.overridden, "sla_due_at": referral.sla_due_at.isoformat(),
        }, status=status.HTTP_201_CREATED)


# Included under /api/v1/ by the project's URLconf, before the API's own catch-all.
app_name = "care-api"
urlpatterns = [path("referrals/", ReferralCreateView.as_view(), name="referral-create")]
