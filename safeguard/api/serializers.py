from rest_framework import serializers


class OrganisationSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    name = serializers.CharField()
    organisation = OrganisationSummarySerializer(allow_null=True)
    roles = serializers.ListField(child=serializers.CharField())


class ErrorSerializer(serializers.Serializer):
    """Names the ``Error`` component for a view that documents an error answer with examples of
    its own; ``api.schema.add_error_responses`` writes the component's schema (``ERROR_SCHEMA``)."""

    error = serializers.DictField()
