"""Read API: the courses an organisation may take, completions counted by region, and training
coverage beside an index run's vulnerability (counts only, never names)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from safeguard.accounts.apiviews import StaffAPIView
from safeguard.api.schema import body_examples
from safeguard.learning.prevention import coverage_of_run, vulnerability_flags
from safeguard.learning.selectors import completions_by_region, courses_for
from safeguard.risk import access as risk_access
from safeguard.risk import selectors as risk_selectors


class CourseListApi(StaffAPIView):
    @extend_schema(
        tags=["learning"],
        summary="Published courses open to the caller's organisation",
        responses=inline_serializer(
            "LearningCourse",
            {
                "slug": serializers.CharField(),
                "audience": serializers.CharField(),
                "version": serializers.IntegerField(),
                "languages": serializers.ListField(child=serializers.CharField()),
                "lessons": serializers.IntegerField(),
                "questions": serializers.IntegerField(),
            },
            many=True,
        ),
        examples=body_examples(
            "A course for educators",
            answer={
                "slug": "signs-for-educators",
                "audience": "educators",
                "version": 1,
                "languages": ["en", "es", "fr"],
                "lessons": 5,
                "questions": 10,
            },
        ),
    )
    def get(self, request: Request) -> Response:
        rows = []
        for course in courses_for(self.actor.organisation):
            version = course.published_version
            assert version is not None
            first = version.language("en")
            rows.append({
                "slug": course.slug, "audience": course.audience, "version": version.number,
                "languages": version.languages, "lessons": len(first["lessons"]), "questions": len(first["questions"]),
            })  # fmt: skip
        return Response(rows)


class CompletionsByRegionApi(StaffAPIView):
    @extend_schema(
        tags=["learning"],
        summary="Completed courses of the caller's organisation's learners per region (counts only)",
        responses=inline_serializer(
            "LearningCompletions",
            {"region": serializers.CharField(), "completions": serializers.IntegerField()},
            many=True,
        ),
        examples=body_examples("A district", answer={"region": "XE-07", "completions": 14}),
    )
    def get(self, request: Request) -> Response:
        self.actor.require("learning.manage")
        audience = request.query_params.get("audience") or None
        counts = completions_by_region(organisation=self.actor.organisation, audience=audience)
        return Response([{"region": region, "completions": count} for region, count in counts.items()])


class CoverageApi(StaffAPIView):
    @extend_schema(
        tags=["learning"],
        summary="Training coverage beside vulnerability for each region of an index run (counts only)",
        parameters=[
            OpenApiParameter("run", int, required=True, description="An index run of your organisation")
        ],
        responses={
            200: inline_serializer(
                "LearningCoverage",
                {
                    "region": serializers.CharField(),
                    "rank": serializers.IntegerField(allow_null=True),
                    "completions": serializers.IntegerField(),
                    "per_100k": serializers.FloatField(allow_null=True),
                    "basis": serializers.ChoiceField(choices=["children", "population", "count"]),
                    "low_coverage": serializers.BooleanField(),
                    "campaign_target": serializers.BooleanField(),
                },
                many=True,
            ),
            404: OpenApiResponse(description="No index run of your organisation has this id."),
        },
        examples=body_examples(
            "A district to reach",
            answer={
                "region": "XE-14",
                "rank": 1,
                "completions": 0,
                "per_100k": 0.0,
                "basis": "children",
                "low_coverage": True,
                "campaign_target": True,
            },
        ),
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("run", "")
        if not raw.isdigit():
            raise ValidationError({"run": ["Give the id of an index run of your organisation."]})
        run = risk_access.run_for(self.actor, int(raw))
        results = risk_selectors.run_results(run)
        targeting = vulnerability_flags(results)
        rows, basis = coverage_of_run(run=run, results=results, targeting=targeting)
        return Response(
            [
                {
                    "region": row.region,
                    "rank": target.rank,
                    "completions": row.completions,
                    "per_100k": row.per_100k,
                    "basis": basis,
                    "low_coverage": row.low,
                    "campaign_target": row.campaign,
                }
                for row, target in zip(rows, targeting, strict=True)
            ]
        )
