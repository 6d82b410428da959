"""Read-only API for vulnerability mapping: regions (shared), runs and results (own organisation)."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics

from safeguard.accounts.apiviews import ActorMixin
from safeguard.api.schema import body_examples
from safeguard.risk import access
from safeguard.risk.models import IndexRun, Region, RegionResult
from safeguard.risk.serializers import (
    IndexRunSerializer,
    RegionDetailSerializer,
    RegionResultSerializer,
    RegionSerializer,
)

# Fictional data for the schema's examples (``api.schema.body_examples``): a district of the demo's
# synthetic country, Examplia.
REGION_EXAMPLE = {
    "code": "XE-07",
    "name": "Glenhollow",
    "level": "district",
    "parent": "XE",
    "country_code": "XE",
    "population": 182400,
    "child_population": 71300,
    "has_shape": True,
}
RUN_EXAMPLE = {
    "id": 3,
    "configuration": "Examplia districts (demo)",
    "configuration_id": 1,
    "status": "succeeded",
    "progress": 100,
    "error": "",
    "created_at": "2026-11-30T08:00:00Z",
    "started_at": "2026-11-30T08:00:01Z",
    "finished_at": "2026-11-30T08:00:09Z",
    "reference_year": 2023,
    "weights": {"economic": 0.5, "education": 0.5},
    "warnings": [],
    "sensitivity_runs": 50,
    "pca_explained_variance": None,
    "input_fingerprint": "c90d0e81b3bd5a34bcc35ff3ba13b668df52602484434df59166e2532acbb376",
    "config_snapshot": {
        "indicators": [
            {"id": "XE.POV", "factor": "economic", "direction": 1, "log": False},
            {"id": "XE.LIT", "factor": "education", "direction": -1, "log": False},
        ],
        "weights": "equal",
        "reference_year": 2023,
        "window_years": 5,
        "min_coverage": 0.5,
        "cap_quantiles": [0.025, 0.975],
        "perturbations": 50,
        "perturbation_concentration": 50.0,
        "leave_one_out": True,
        "rank_interval": [0.05, 0.95],
        "seed": 0,
    },
}
RESULT_EXAMPLE = {
    "region": "XE-07",
    "region_name": "Glenhollow",
    "score": 82.5,
    "rank": 2,
    "rank_low": 1,
    "rank_high": 4,
    "coverage": 1.0,
    "factor_scores": {"economic": 90.0, "education": 75.0},
    "contributions": [
        {"factor": "economic", "weight": 0.5, "score": 90.0, "contribution": 45.0},
        {"factor": "education", "weight": 0.5, "score": 75.0, "contribution": 37.5},
    ],
    "indicators": [
        {"indicator": "XE.POV", "factor": "economic", "value": 38.0, "year": 2023, "normalised": 0.9},
        {"indicator": "XE.LIT", "factor": "education", "value": 64.0, "year": 2022, "normalised": 0.75},
    ],
}


@extend_schema_view(
    get=extend_schema(
        tags=["risk"],
        summary="Regions (shared by every organisation)",
        parameters=[
            OpenApiParameter("level", OpenApiTypes.STR, enum=["country", "subdivision", "district"]),
            OpenApiParameter("parent", OpenApiTypes.STR, description="code of the parent region"),
        ],
        examples=body_examples("A district", answer=REGION_EXAMPLE),
    )
)
class RegionListApi(ActorMixin, generics.ListAPIView):
    serializer_class = RegionSerializer

    def get_queryset(self) -> QuerySet[Region]:
        regions = access.regions_for(self.actor).select_related("parent").order_by("code")
        if level := self.request.query_params.get("level"):
            regions = regions.filter(level=level)
        if parent := self.request.query_params.get("parent"):
            regions = regions.filter(parent__code=parent)
        return regions


@extend_schema_view(
    get=extend_schema(
        tags=["risk"],
        summary="A region with its GeoJSON shape",
        examples=body_examples(
            "A district",
            answer={
                **REGION_EXAMPLE,
                "shape": {
                    "type": "Polygon",
                    "coordinates": [[[2.1, 1.0], [3.0, 1.1], [2.9, 2.0], [2.0, 1.9], [2.1, 1.0]]],
                },
            },
        ),
    )
)
class RegionDetailApi(ActorMixin, generics.RetrieveAPIView):
    serializer_class = RegionDetailSerializer

    def get_object(self) -> Region:
        return access.region_for(self.actor, self.kwargs["code"])


@extend_schema_view(
    get=extend_schema(
        tags=["risk"],
        summary="Index runs of your organisation",
        examples=body_examples("A finished run", answer=RUN_EXAMPLE),
    )
)
class RunListApi(ActorMixin, generics.ListAPIView):
    serializer_class = IndexRunSerializer

    def get_queryset(self) -> QuerySet[IndexRun]:
        return access.runs_for(self.actor).order_by("-created_at", "-id")


@extend_schema_view(
    get=extend_schema(
        tags=["risk"],
        summary="One index run: status, configuration, fingerprint",
        examples=body_examples("A finished run", answer=RUN_EXAMPLE),
    )
)
class RunDetailApi(ActorMixin, generics.RetrieveAPIView):
    serializer_class = IndexRunSerializer

    def get_object(self) -> IndexRun:
        return access.run_for(self.actor, self.kwargs["run_id"])


@extend_schema_view(
    get=extend_schema(
        tags=["risk"],
        summary="Results of a run, by rank, with explanation and rank interval",
        examples=body_examples("A district ranked second", answer=RESULT_EXAMPLE),
    )
)
class RunResultListApi(ActorMixin, generics.ListAPIView):
    serializer_class = RegionResultSerializer

    def get_queryset(self) -> QuerySet[RegionResult]:
        run = access.run_for(self.actor, self.kwargs["run_id"])
        return run.results.select_related("region").order_by("position")
