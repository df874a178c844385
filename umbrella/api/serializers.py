"""Shapes every app's endpoints share: RFC 9457 problems (documentation), and references to
organisations. Each app's own inputs and outputs live beside its endpoints (e.g. cases.serializers)."""

from __future__ import annotations

from rest_framework import serializers

from umbrella.api.fields import TextField

# Problems (documentation only: umbrella.core.problems builds the bodies).


class ProblemErrorSerializer(serializers.Serializer):  # type: ignore[type-arg]
    pointer = TextField(required=False, help_text="JSON pointer to the field in the request body.")
    parameter = TextField(required=False, help_text="The query parameter at fault.")
    detail = TextField()


class ProblemSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """RFC 9457 problem details, served as application/problem+json."""

    type = TextField()
    title = TextField()
    status = serializers.IntegerField()
    detail = TextField(required=False)
    instance = TextField(required=False, allow_null=True)
    # DRF's metaclass moves declared fields off the class, so this does not shadow Serializer.errors.
    errors = ProblemErrorSerializer(many=True, required=False)  # type: ignore[assignment]


class OrganisationRefSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    slug = TextField()
    name = TextField()
