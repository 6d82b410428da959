"""Read-only API for vulnerability mapping: regions (shared), runs and results (own organisation)."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics

from safeguard.accounts.apiviews import ActorMixin
from safeguard.risk import access
from safeguard.risk.models import IndexRun, Region, RegionResult
from safeguard.risk.serializers import (
    IndexRunSerializer,
    RegionDetailSerializer,
    RegionResultSerializer,
    RegionSerializer,
)


@extend_schema_view(
    get=extend_schema(
        tags=["risk"],
        summary="Regions (shared by every organisation)",
        parameters=[
            OpenApiParameter("level", OpenApiTypes.STR, enum=["country", "subdivision", "district"]),
            OpenApiParameter("parent", OpenApiTypes.STR, description="code of the parent region"),
        ],
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


@extend_schema_view(get=extend_schema(tags=["risk"], summary="A region with its GeoJSON shape"))
class RegionDetailApi(ActorMixin, generics.RetrieveAPIView):
    serializer_class = RegionDetailSerializer

    def get_object(self) -> Region:
        return access.region_for(self.actor, self.kwargs["code"])


@extend_schema_view(get=extend_schema(tags=["risk"], summary="Index runs of your organisation"))
class RunListApi(ActorMixin, generics.ListAPIView):
    serializer_class = IndexRunSerializer

    def get_queryset(self) -> QuerySet[IndexRun]:
        return access.runs_for(self.actor).order_by("-created_at", "-id")


@extend_schema_view(
    get=extend_schema(tags=["risk"], summary="One index run: status, configuration, fingerprint")
)
class RunDetailApi(ActorMixin, generics.RetrieveAPIView):
    serializer_class = IndexRunSerializer

    def get_object(self) -> IndexRun:
        return access.run_for(self.actor, self.kwargs["run_id"])


@extend_schema_view(
    get=extend_schema(tags=["risk"], summary="Results of a run, by rank, with explanation and rank interval")
)
class RunResultListApi(ActorMixin, generics.ListAPIView):
    serializer_class = RegionResultSerializer

    def get_queryset(self) -> QuerySet[RegionResult]:
        run = access.run_for(self.actor, self.kwargs["run_id"])
        return run.results.select_related("region").order_by("position")
