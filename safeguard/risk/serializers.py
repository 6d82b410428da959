from __future__ import annotations

from rest_framework import serializers

from safeguard.risk.models import IndexRun, Region, RegionResult


class RegionSerializer(serializers.ModelSerializer):
    # DRF's metaclass lifts declared fields off the class, so this never shadows Field.parent.
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)  # type: ignore[assignment,var-annotated]
    has_shape = serializers.SerializerMethodField()

    class Meta:
        model = Region
        fields = [
            "code",
            "name",
            "level",
            "parent",
            "country_code",
            "population",
            "child_population",
            "has_shape",
        ]

    def get_has_shape(self, region: Region) -> bool:
        return region.shape is not None


class RegionDetailSerializer(RegionSerializer):
    class Meta(RegionSerializer.Meta):
        fields = [*RegionSerializer.Meta.fields, "shape"]


class IndexRunSerializer(serializers.ModelSerializer):
    configuration = serializers.CharField(source="configuration.name", read_only=True)
    configuration_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = IndexRun
        fields = [
            "id",
            "configuration",
            "configuration_id",
            "status",
            "progress",
            "error",
            "created_at",
            "started_at",
            "finished_at",
            "reference_year",
            "weights",
            "warnings",
            "sensitivity_runs",
            "pca_explained_variance",
            "input_fingerprint",
            "config_snapshot",
        ]


class FactorContributionSerializer(serializers.Serializer):
    factor = serializers.CharField()
    weight = serializers.FloatField()
    score = serializers.FloatField()
    contribution = serializers.FloatField()


class IndicatorUsedSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    factor = serializers.CharField()
    value = serializers.FloatField()
    year = serializers.IntegerField(allow_null=True)
    normalised = serializers.FloatField()


class RegionResultSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    factor_scores = serializers.DictField(child=serializers.FloatField(allow_null=True))
    contributions = FactorContributionSerializer(many=True)
    indicators = IndicatorUsedSerializer(many=True)

    class Meta:
        model = RegionResult
        fields = [
            "region",
            "region_name",
            "score",
            "rank",
            "rank_low",
            "rank_high",
            "coverage",
            "factor_scores",
            "contributions",
            "indicators",
        ]
