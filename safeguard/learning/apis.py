"""Read API: the courses an organisation may take, and completions counted by region (no names)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from safeguard.accounts.apiviews import StaffAPIView
from safeguard.learning.selectors import completions_by_region, courses_for


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
    )
    def get(self, request: Request) -> Response:
        self.actor.require("learning.manage")
        audience = request.query_params.get("audience") or None
        counts = completions_by_region(organisation=self.actor.organisation, audience=audience)
        return Response([{"region": region, "completions": count} for region, count in counts.items()])
