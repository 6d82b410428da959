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
