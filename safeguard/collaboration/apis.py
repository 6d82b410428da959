"""``/api/v1/task-forces``, ``/shares``, ``/requests``, ``/notices``: thin views over the same
access rules and services as the pages. Outside reach is 404, a wrong role 403, bad input 400
with field errors (the API's one error format)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from safeguard.accounts.apiviews import StaffAPIView
from safeguard.accounts.models import Organisation
from safeguard.api.schema import body_examples
from safeguard.collaboration import access, selectors, services
from safeguard.collaboration.models import (
    ItemType,
    MemberRole,
    Purpose,
    RequestKind,
    Share,
    ShareLevel,
)

TAGS = ["collaboration"]


# Fictional data for the schema's examples (``api.schema.body_examples``).
TASK_FORCE_EXAMPLE = {
    "id": 1,
    "name": "Operation Lighthouse",
    "purpose": "Recruitment ads targeting children",
    "jurisdictions": ["FR", "GB"],
    "lead_organisation": "Gamma Police Unit",
    "created_at": "2026-11-02T09:00:00Z",
}
LEAD_MEMBER_EXAMPLE = {"organisation": "Gamma Police Unit", "organisation_id": 3, "role": "lead"}
TASK_FORCE_DETAIL_EXAMPLE = {
    **TASK_FORCE_EXAMPLE,
    "members": [
        LEAD_MEMBER_EXAMPLE,
        {"organisation": "Alpha Helpline", "organisation_id": 1, "role": "member"},
        {"organisation": "Delta Ministry", "organisation_id": 4, "role": "observer"},
    ],
}
SHARE_EXAMPLE = {
    "id": 4,
    "task_force": 1,
    "organisation": "Alpha Helpline",
    "item_type": "report",
    "purpose": "investigation",
    "level": "deidentified",
    "expires_on": "2027-02-28",
    "revoked": False,
}
REQUEST_EXAMPLE = {
    "id": 2,
    "task_force": 1,
    "kind": "mla",
    "from_organisation": "Gamma Police Unit",
    "to_organisation": "Beta Foundation",
    "legal_basis": "Convention art. 18 (fictional)",
    "subject": "Records of the shelter stays of the two children named in share 4.",
    "deadline": "2026-12-20",
    "status": "sent",
    "overdue": False,
    "response": "",
    "decline_reason": "",
    "shares": [4],
}
NOTICE_EXAMPLE = {
    "id": 6,
    "text": "A phone number in this report also appears in records of Beta Foundation (1 case).",
    "other_organisation": "Beta Foundation",
    "other_installation": "",
    "kinds": ["phone"],
    "own_records": [{"type": "report", "id": 12}],
    "other_counts": {"case": 1},
    "status": "open",
    "created_at": "2026-11-20T14:05:00Z",
}
ACCESS_REQUEST_EXAMPLE = {"id": 3, "status": "pending", "purpose": "protection", "shares": []}


class AgreementTermsSerializer(serializers.Serializer):
    legal_basis = serializers.CharField(max_length=2000)
    purposes = serializers.ListField(child=serializers.ChoiceField(choices=Purpose.choices), min_length=1)
    record_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=ItemType.choices), min_length=1
    )
    max_level = serializers.ChoiceField(choices=ShareLevel.choices)
    retention_days = serializers.IntegerField(min_value=1, max_value=3650)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()

    def terms(self) -> services.AgreementTerms:
        return services.AgreementTerms(**self.validated_data)


class TaskForceCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    purpose = serializers.CharField(max_length=4000)
    jurisdictions = serializers.ListField(child=serializers.CharField(max_length=6), min_length=1)
    agreement = AgreementTermsSerializer()


class MemberSerializer(serializers.Serializer):
    organisation = serializers.CharField(source="organisation.name")
    organisation_id = serializers.IntegerField()
    role = serializers.ChoiceField(choices=MemberRole.choices)


class TaskForceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    purpose = serializers.CharField()
    jurisdictions = serializers.ListField(child=serializers.CharField())
    lead_organisation = serializers.CharField(source="lead_organisation.name")
    created_at = serializers.DateTimeField()


class TaskForceDetailSerializer(TaskForceSerializer):
    members = MemberSerializer(many=True)


class ShareCreateSerializer(serializers.Serializer):
    item_type = serializers.ChoiceField(choices=ItemType.choices)
    item_id = serializers.IntegerField(min_value=1)
    purpose = serializers.ChoiceField(choices=Purpose.choices)
    level = serializers.ChoiceField(choices=ShareLevel.choices, default=ShareLevel.DEIDENTIFIED)
    expires_on = serializers.DateField()
    override_reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class ShareSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="share.pk")
    task_force = serializers.IntegerField(source="share.task_force_id", allow_null=True)
    organisation = serializers.CharField(source="share.organisation.name")
    item_type = serializers.CharField(source="share.item_type")
    purpose = serializers.CharField(source="share.purpose")
    level = serializers.CharField(help_text="The level the caller sees the item at.")
    expires_on = serializers.DateField(source="share.expires_on")
    revoked = serializers.SerializerMethodField()

    def get_revoked(self, visible: access.VisibleShare) -> bool:
        return visible.share.revoked_at is not None


class SharedViewSerializer(serializers.Serializer):
    share = ShareSerializer()
    title = serializers.CharField()
    facts = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))
    text = serializers.CharField()


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class RequestCreateSerializer(serializers.Serializer):
    task_force = serializers.IntegerField()
    to_organisation = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    legal_basis = serializers.CharField(max_length=2000)
    subject = serializers.CharField(max_length=4000)
    deadline = serializers.DateField()
    shares = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)


class RequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    task_force = serializers.IntegerField(source="task_force_id")
    kind = serializers.CharField()
    from_organisation = serializers.CharField(source="from_organisation.name")
    to_organisation = serializers.CharField(source="to_organisation.name")
    legal_basis = serializers.CharField()
    subject = serializers.CharField()
    deadline = serializers.DateField()
    status = serializers.CharField()
    overdue = serializers.BooleanField(source="is_overdue")
    response = serializers.CharField()
    decline_reason = serializers.CharField()
    shares = serializers.SerializerMethodField()

    def get_shares(self, request: Any) -> list[int]:
        return [share.pk for share in request.shares.all()]


class RequestRespondSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=["acknowledge", "answer", "decline"])
    text = serializers.CharField(max_length=8000, required=False, allow_blank=True, default="")


class NoticeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.SerializerMethodField()
    other_organisation = serializers.CharField(source="other_organisation.name", allow_null=True)
    other_installation = serializers.CharField()  # blank unless the other side is another installation
    kinds = serializers.ListField(child=serializers.CharField())
    own_records = serializers.ListField(child=serializers.DictField())
    other_counts = serializers.DictField(child=serializers.IntegerField())
    status = serializers.CharField()
    created_at = serializers.DateTimeField()

    def get_text(self, notice: Any) -> str:
        return selectors.notice_text(notice)


class AccessRequestCreateSerializer(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=Purpose.choices)
    note = serializers.CharField(max_length=500)


class AccessDecisionSerializer(serializers.Serializer):
    grant = serializers.BooleanField()
    level = serializers.ChoiceField(choices=ShareLevel.choices, default=ShareLevel.DEIDENTIFIED)
    expires_on = serializers.DateField(required=False)
    task_force = serializers.IntegerField(required=False, allow_null=True, default=None)
    override_reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if data["grant"] and not data.get("expires_on"):
            raise serializers.ValidationError({"expires_on": ["Give the date the shares end."]})
        return data


class AccessRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    purpose = serializers.CharField()
    shares = serializers.SerializerMethodField()

    def get_shares(self, request: Any) -> list[int]:
        return [share.pk for share in request.shares.all()]


def _detail(task_force: Any) -> dict[str, Any]:
    from safeguard.collaboration.models import TaskForceMember

    task_force.members_current = list(
        TaskForceMember.objects.current().filter(task_force=task_force).select_related("organisation")
    )
    data = TaskForceSerializer(task_force).data
    data["members"] = MemberSerializer(task_force.members_current, many=True).data
    return data


class TaskForceListApi(StaffAPIView):
    @extend_schema(
        responses=TaskForceSerializer(many=True),
        tags=TAGS,
        examples=body_examples("A task force", answer=TASK_FORCE_EXAMPLE),
    )
    def get(self, request: Request) -> Response:
        """Task forces the caller takes part in (or administers their organisation's membership of)."""
        task_forces = access.taskforces_visible_to(self.actor).select_related("lead_organisation")
        return Response(TaskForceSerializer(task_forces, many=True).data)

    @extend_schema(
        request=TaskForceCreateSerializer,
        responses={201: TaskForceDetailSerializer},
        tags=TAGS,
        examples=body_examples(
            "Led by the police unit",
            request={
                "name": "Operation Lighthouse",
                "purpose": "Recruitment ads targeting children",
                "jurisdictions": ["FR", "GB"],
                "agreement": {
                    "legal_basis": "Joint investigation agreement 4/2026 (fictional)",
                    "purposes": ["investigation", "protection"],
                    "record_kinds": ["report", "ad_cluster"],
                    "max_level": "deidentified",
                    "retention_days": 365,
                    "starts_on": "2026-11-02",
                    "ends_on": "2027-11-01",
                },
            },
            answer={**TASK_FORCE_EXAMPLE, "members": [LEAD_MEMBER_EXAMPLE]},
            status="201",
        ),
    )
    def post(self, request: Request) -> Response:
        """Create a task force led by the caller's organisation, with the lead's own agreement."""
        self.actor.require("taskforce.create")
        serializer = TaskForceCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        task_force = services.task_force_create(
            actor=self.actor,
            name=data["name"],
            purpose=data["purpose"],
            jurisdictions=data["jurisdictions"],
            terms=services.AgreementTerms(**data["agreement"]),
        )
        return Response(_detail(task_force), status=201)


class TaskForceDetailApi(StaffAPIView):
    @extend_schema(
        responses=TaskForceDetailSerializer,
        tags=TAGS,
        examples=body_examples("Three members", answer=TASK_FORCE_DETAIL_EXAMPLE),
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(_detail(access.taskforce_for(self.actor, pk)))


class TaskForceShareListApi(StaffAPIView):
    @extend_schema(
        responses=ShareSerializer(many=True),
        tags=TAGS,
        examples=body_examples("A shared report", answer=SHARE_EXAMPLE),
    )
    def get(self, request: Request, pk: int) -> Response:
        """The task force's shares the caller sees, each at the level the caller sees it at."""
        task_force = access.taskforce_for(self.actor, pk)
        return Response(ShareSerializer(access.shares_in(self.actor, task_force), many=True).data)

    @extend_schema(
        request=ShareCreateSerializer,
        responses={201: ShareSerializer},
        tags=TAGS,
        examples=body_examples(
            "A report, de-identified",
            request={
                "item_type": "report",
                "item_id": 12,
                "purpose": "investigation",
                "level": "deidentified",
                "expires_on": "2027-02-28",
            },
            answer=SHARE_EXAMPLE,
            status="201",
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Share one item of the caller's organisation into the task force."""
        task_force = access.taskforce_for(self.actor, pk, action="share.create")
        serializer = ShareCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        share = services.share_create(actor=self.actor, task_force=task_force, **serializer.validated_data)
        return Response(
            ShareSerializer(access.VisibleShare(share=share, level=share.level, own=True)).data, status=201
        )


class ShareDetailApi(StaffAPIView):
    @extend_schema(
        responses=SharedViewSerializer,
        tags=TAGS,
        examples=body_examples(
            "A de-identified report",
            answer={
                "share": SHARE_EXAMPLE,
                "title": "RPT-2026-0012",
                "facts": [
                    ["Reference", "RPT-2026-0012"],
                    ["Received", "November 2026"],
                    ["Place", "Lyon, France"],
                    ["Children", "2"],
                    ["Youngest child", "12\u201314"],
                    ["Signs observed", "They cannot come and go freely, or are locked in"],
                    ["Status", "Triaged"],
                ],
                "text": "",
            },
        ),
    )
    def get(self, request: Request, pk: int) -> Response:
        """The shared item at the caller's level; the view is audited for the sharing organisation."""
        visible, view = services.shared_item_open(actor=self.actor, share_id=pk)
        if view is None:
            raise Http404("item")
        return Response(
            {
                "share": ShareSerializer(visible).data,
                "title": view.title,
                "facts": [list(f) for f in view.facts],
                "text": view.text,
            }
        )


class ShareRevokeApi(StaffAPIView):
    @extend_schema(
        request=RevokeSerializer,
        responses=ShareSerializer,
        tags=TAGS,
        examples=body_examples(
            "No longer needed",
            request={"reason": "The investigation this was shared for has closed."},
            answer={**SHARE_EXAMPLE, "revoked": True},
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        share = access.share_of_mine(self.actor, pk)
        serializer = RevokeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.share_revoke(actor=self.actor, share=share, reason=serializer.validated_data["reason"])
        return Response(ShareSerializer(access.VisibleShare(share=share, level=share.level, own=True)).data)


class RequestListApi(StaffAPIView):
    @extend_schema(
        responses=RequestSerializer(many=True),
        tags=TAGS,
        examples=body_examples("A request sent", answer=REQUEST_EXAMPLE),
    )
    def get(self, request: Request) -> Response:
        """Cross-border requests sent by or to the caller's organisation."""
        return Response(
            RequestSerializer(
                access.requests_visible_to(self.actor).prefetch_related("shares"), many=True
            ).data
        )

    @extend_schema(
        request=RequestCreateSerializer,
        responses={
            201: RequestSerializer,
            404: OpenApiResponse(description="No task force you may send requests in has this id."),
        },
        tags=TAGS,
        examples=body_examples(
            "Mutual legal assistance",
            request={
                "task_force": 1,
                "to_organisation": 2,
                "kind": "mla",
                "legal_basis": "Convention art. 18 (fictional)",
                "subject": REQUEST_EXAMPLE["subject"],
                "deadline": "2026-12-20",
                "shares": [4],
            },
            answer=REQUEST_EXAMPLE,
            status="201",
        ),
    )
    def post(self, request: Request) -> Response:
        """A law-enforcement liaison sends a request to another member of a task force."""
        serializer = RequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        task_force = access.taskforce_for(self.actor, data["task_force"], action="request.send")
        to_organisation = Organisation.objects.filter(pk=data["to_organisation"]).first()
        if to_organisation is None:
            raise serializers.ValidationError({"to_organisation": ["No such organisation."]})
        shares = list(Share.objects.filter(pk__in=data["shares"]))
        if len(shares) != len(set(data["shares"])):
            raise serializers.ValidationError({"shares": ["No such share."]})
        created = services.request_send(
            actor=self.actor,
            task_force=task_force,
            to_organisation=to_organisation,
            kind=data["kind"],
            legal_basis=data["legal_basis"],
            subject=data["subject"],
            deadline=data["deadline"],
            shares=shares,
        )
        return Response(RequestSerializer(created).data, status=201)


class RequestDetailApi(StaffAPIView):
    @extend_schema(
        responses=RequestSerializer,
        tags=TAGS,
        examples=body_examples("A request sent", answer=REQUEST_EXAMPLE),
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(RequestSerializer(access.request_for(self.actor, pk)).data)


class RequestRespondApi(StaffAPIView):
    @extend_schema(
        request=RequestRespondSerializer,
        responses=RequestSerializer,
        tags=TAGS,
        examples=body_examples(
            "Answered",
            request={"action": "answer", "text": "The records are attached to share 7."},
            answer={
                **REQUEST_EXAMPLE,
                "status": "answered",
                "response": "The records are attached to share 7.",
            },
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """The receiving organisation acknowledges, answers (``text``) or declines (``text`` = reason)."""
        cross_border = access.request_for(self.actor, pk)
        serializer = RequestRespondSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        action, text = serializer.validated_data["action"], serializer.validated_data["text"]
        if action == "acknowledge":
            services.request_acknowledge(actor=self.actor, request=cross_border)
        elif action == "answer":
            services.request_answer(actor=self.actor, request=cross_border, response=text)
        else:
            services.request_decline(actor=self.actor, request=cross_border, reason=text)
        return Response(RequestSerializer(cross_border).data)


class NoticeListApi(StaffAPIView):
    @extend_schema(
        responses=NoticeSerializer(many=True),
        tags=TAGS,
        examples=body_examples("A shared phone number", answer=NOTICE_EXAMPLE),
    )
    def get(self, request: Request) -> Response:
        """The caller's organisation's match notices: its own records, never the other's."""
        self.actor.require("notice.view")
        return Response(NoticeSerializer(access.notices_for(self.actor)[:200], many=True).data)


class NoticeDetailApi(StaffAPIView):
    @extend_schema(
        responses=NoticeSerializer,
        tags=TAGS,
        examples=body_examples("A shared phone number", answer=NOTICE_EXAMPLE),
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(NoticeSerializer(access.notice_for(self.actor, pk)).data)


class NoticeAccessRequestApi(StaffAPIView):
    @extend_schema(
        request=AccessRequestCreateSerializer,
        responses={201: AccessRequestSerializer},
        tags=TAGS,
        examples=body_examples(
            "To protect the child",
            request={"purpose": "protection", "note": "The child in our report may be in your care already."},
            answer=ACCESS_REQUEST_EXAMPLE,
            status="201",
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Ask the other organisation to share the records behind the notice."""
        notice = access.notice_for(self.actor, pk)
        serializer = AccessRequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = services.access_request_create(actor=self.actor, notice=notice, **serializer.validated_data)
        return Response(AccessRequestSerializer(created).data, status=201)


class AccessRequestDecideApi(StaffAPIView):
    @extend_schema(
        request=AccessDecisionSerializer,
        responses=AccessRequestSerializer,
        tags=TAGS,
        examples=body_examples(
            "Granted for three months",
            request={"grant": True, "level": "deidentified", "expires_on": "2027-02-28", "task_force": None},
            answer={**ACCESS_REQUEST_EXAMPLE, "status": "granted", "shares": [9]},
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """A supervisor of the organisation asked shares its matching records or declines with a reason."""
        access_request = access.access_request_for(self.actor, pk)
        serializer = AccessDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data["grant"]:
            task_force = access.taskforce_for(self.actor, data["task_force"]) if data["task_force"] else None
            services.access_request_grant(
                actor=self.actor,
                access_request=access_request,
                level=data["level"],
                expires_on=data["expires_on"],
                task_force=task_force,
                override_reason=data["override_reason"],
            )
        else:
            services.access_request_decline(
                actor=self.actor, access_request=access_request, reason=data["reason"]
            )
        access_request.refresh_from_db()
        return Response(AccessRequestSerializer(access_request).data)
