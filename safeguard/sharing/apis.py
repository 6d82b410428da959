"""API for releases: list, prepare, read, approve or reject, and the budget ledger."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from safeguard.accounts.apiviews import StaffAPIView
from safeguard.api.schema import body_examples
from safeguard.sharing import access, selectors, services
from safeguard.sharing.models import Release, ReleaseKind

TAGS = ["sharing"]

# Fictional data for the schema's examples (``api.schema.body_examples``).
MICRODATA_PARAMETERS = {
    "quasi_identifiers": ["prs_Gender", "vic_AgeWhenTrafficked"],
    "k": 11,
    "sensitive": [],
    "l": None,
    "max_suppression": 0.05,
}
RELEASE_QUEUED_EXAMPLE = {
    "id": 5,
    "kind": "microdata",
    "title": "Victims by gender and age, 2026",
    "status": "queued",
    "progress": 0,
    "parameters": MICRODATA_PARAMETERS,
    "report": {},
    "error": "",
    "is_public": False,
    "created_by": "sue@alpha.example",
    "created_at": "2026-12-01T09:30:00Z",
    "finished_at": None,
    "decided_at": None,
}
RELEASE_READY_EXAMPLE = {
    **RELEASE_QUEUED_EXAMPLE,
    "status": "ready",
    "progress": 100,
    "report": {
        "k": 11,
        "l": None,
        "quasi_identifiers": ["prs_Gender", "vic_AgeWhenTrafficked"],
        "sensitive": [],
        "generalisations": {"prs_Gender": "exact value", "vic_AgeWhenTrafficked": "ranges of 5"},
        "generalised_values": {"prs_Gender": 0, "vic_AgeWhenTrafficked": 1},
        "input_rows": 240,
        "released_rows": 236,
        "suppressed_rows": 4,
        "suppression_rate": 0.017,
        "max_suppression": 0.05,
        "within_suppression_limit": True,
        "information_loss": 0.21,
        "classes": 6,
        "smallest_class": 12,
        "nodes_evaluated": 4,
        "cases_without_statistics_consent": 3,
    },
    "finished_at": "2026-12-01T09:30:40Z",
}


class ReleaseSerializer(serializers.ModelSerializer[Release]):
    created_by = serializers.CharField(source="created_by.email", read_only=True)

    class Meta:
        model = Release
        fields = [
            "id", "kind", "title", "status", "progress", "parameters", "report", "error",
            "is_public", "created_by", "created_at", "finished_at", "decided_at",
        ]  # fmt: skip


class ReleaseDetailSerializer(ReleaseSerializer):
    columns = serializers.SerializerMethodField()
    rows = serializers.SerializerMethodField()

    class Meta(ReleaseSerializer.Meta):
        fields = [*ReleaseSerializer.Meta.fields, "columns", "rows"]

    def get_columns(self, release: Release) -> list[str]:
        return list(release.columns) if release.is_downloadable else []

    def get_rows(self, release: Release) -> list[list[str]]:
        return list(release.rows) if release.is_downloadable else []


class ReleaseCreateSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=ReleaseKind.choices)
    title = serializers.CharField(max_length=200)
    quasi_identifiers = serializers.ListField(
        child=serializers.ChoiceField(choices=list(selectors.SOURCE_COLUMNS)), required=False,
        default=list(selectors.DEFAULT_QUASI_IDENTIFIERS),
    )  # fmt: skip
    k = serializers.IntegerField(required=False, default=11)
    sensitive = serializers.ListField(
        child=serializers.ChoiceField(choices=list(selectors.SOURCE_COLUMNS)), required=False, default=list
    )
    l_diversity = serializers.IntegerField(required=False, allow_null=True, default=None)
    max_suppression = serializers.FloatField(required=False, default=0.05)
    by = serializers.ListField(
        child=serializers.ChoiceField(choices=list(selectors.COUNT_COLUMNS)), required=False
    )
    epsilon = serializers.FloatField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["kind"] == ReleaseKind.COUNTS:
            missing = {
                name: ["This field is required for counts."]
                for name in ("by", "epsilon")
                if name not in attrs
            }
            if missing:
                raise serializers.ValidationError(missing)
        return attrs


class DecisionSerializer(serializers.Serializer[Any]):
    approve = serializers.BooleanField()
    publish = serializers.BooleanField(required=False, default=False)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ReleaseListApi(StaffAPIView):
    @extend_schema(
        responses=ReleaseSerializer(many=True),
        tags=TAGS,
        examples=body_examples("A release waiting for approval", answer=RELEASE_READY_EXAMPLE),
    )
    def get(self, request: Request) -> Response:
        """Releases of the caller's organisation, newest first."""
        return Response(ReleaseSerializer(access.releases_for(self.actor)[:200], many=True).data)

    @extend_schema(
        request=ReleaseCreateSerializer,
        responses={201: ReleaseSerializer},
        tags=TAGS,
        examples=body_examples(
            "k-anonymous microdata",
            request={
                "kind": "microdata",
                "title": "Victims by gender and age, 2026",
                "quasi_identifiers": ["prs_Gender", "vic_AgeWhenTrafficked"],
                "k": 11,
            },
            answer=RELEASE_QUEUED_EXAMPLE,
            status="201",
        ),
    )
    def post(self, request: Request) -> Response:
        """Prepare a release; it is computed in the background (poll ``status`` and ``progress``)."""
        self.actor.require("release.prepare")
        serializer = ReleaseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data["kind"] == ReleaseKind.MICRODATA:
            release = services.release_request_microdata(
                actor=self.actor,
                title=data["title"],
                quasi_identifiers=data["quasi_identifiers"],
                k=data["k"],
                sensitive=data["sensitive"],
                l_diversity=data["l_diversity"],
                max_suppression=data["max_suppression"],
            )
        else:
            release = services.release_request_counts(
                actor=self.actor, title=data["title"], by=data["by"], epsilon=data["epsilon"]
            )
        return Response(ReleaseSerializer(release).data, status=201)


class ReleaseDetailApi(StaffAPIView):
    @extend_schema(
        responses=ReleaseDetailSerializer,
        tags=TAGS,
        examples=body_examples(
            "Computed, not yet approved (no rows yet)",
            answer={**RELEASE_READY_EXAMPLE, "columns": [], "rows": []},
        ),
    )
    def get(self, request: Request, pk: int) -> Response:
        """One release; its rows only once approved (reading them is audited like a download)."""
        release = access.release_for(self.actor, pk)
        if release.is_downloadable:
            services.release_download_record(actor=self.actor, release=release, file_format="api")
        return Response(ReleaseDetailSerializer(release).data)


class ReleaseDecisionApi(StaffAPIView):
    @extend_schema(
        request=DecisionSerializer,
        responses=ReleaseSerializer,
        tags=TAGS,
        examples=body_examples(
            "Approved, not published",
            request={"approve": True, "publish": False},
            answer={**RELEASE_READY_EXAMPLE, "status": "approved", "decided_at": "2026-12-02T11:00:00Z"},
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Approve (and optionally publish) or reject a computed release; not by its preparer."""
        release = access.release_for(self.actor, pk)
        serializer = DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        release = services.release_decide(actor=self.actor, release=release, **serializer.validated_data)
        return Response(ReleaseSerializer(release).data)


class BudgetSerializer(serializers.Serializer[Any]):
    total_epsilon = serializers.FloatField()
    spent_epsilon = serializers.FloatField()
    threshold = serializers.IntegerField()
    ledger = serializers.ListField(child=serializers.DictField())


class BudgetApi(StaffAPIView):
    @extend_schema(
        responses=BudgetSerializer,
        tags=TAGS,
        examples=body_examples(
            "One counts release spent from it",
            answer={
                "total_epsilon": 10.0,
                "spent_epsilon": 0.5,
                "threshold": 10,
                "ledger": [{"release": 4, "epsilon": 0.5, "spent_at": "2026-11-20T10:12:00+00:00"}],
            },
        ),
    )
    def get(self, request: Request) -> Response:
        """The organisation's privacy budget and every release that spent from it."""
        ledger = access.ledger_for(self.actor)
        assert self.actor.organisation is not None
        budget = selectors.budget_of(self.actor.organisation)
        return Response(
            {
                "total_epsilon": budget.total_epsilon,
                "spent_epsilon": selectors.epsilon_spent(self.actor.organisation),
                "threshold": budget.threshold,
                "ledger": [
                    {
                        "release": entry.release_id,
                        "epsilon": entry.epsilon,
                        "spent_at": entry.spent_at.isoformat(),
                    }
                    for entry in ledger[:500]
                ],
            }
        )
