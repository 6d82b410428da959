"""``/api/v1/webhooks``: an organisation admin's webhook endpoints through the API, with the same
services and checks as the pages (``webhooks.manage``; another organisation's endpoint is 404)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from safeguard.accounts.apiviews import StaffAPIView
from safeguard.api.schema import body_examples
from safeguard.core.validation import no_control_characters
from safeguard.webhooks import services
from safeguard.webhooks.access import endpoint_of_my_organisation
from safeguard.webhooks.catalogue import EventType
from safeguard.webhooks.models import DeliveryStatus, PauseReason
from safeguard.webhooks.selectors import delivery_log, endpoints_of

TAGS = ["webhooks"]

ENDPOINT = {
    "id": 3,
    "url": "https://integrations.example.org/safeguard",
    "description": "Case system of the hotline",
    "event_types": ["report.received", "report.triaged"],
    "paused": False,
    "pause_reason": "",
    "consecutive_failures": 0,
    "created_at": "2026-11-30T09:12:00Z",
    "secret_rotated_at": None,
}
SHOWN_ONCE = "example-only-3nq0Xv8cYk1t9yHf2mB7pLrA5sW4dE6g"
DELIVERY = {
    "id": 41,
    "event_id": "6f1c2e0a-7b55-4c1e-9a57-0d3b8f2e4c11",
    "event_type": "report.triaged",
    "status": "delivered",
    "attempts": [{"at": "2026-12-01T10:00:01Z", "status_code": 204, "duration_ms": 11, "error": ""}],
    "created_at": "2026-12-01T10:00:00Z",
    "delivered_at": "2026-12-01T10:00:01Z",
    "next_attempt_at": None,
}


class EndpointSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField()
    description = serializers.CharField()
    event_types = serializers.ListField(child=serializers.ChoiceField(choices=EventType.choices))
    paused = serializers.BooleanField(source="is_paused")
    pause_reason = serializers.ChoiceField(choices=PauseReason.choices)
    consecutive_failures = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    secret_rotated_at = serializers.DateTimeField(allow_null=True)


class EndpointWithSecretSerializer(EndpointSerializer):
    secret = serializers.CharField(help_text="The signing secret, shown this once.")


class EndpointWriteSerializer(serializers.Serializer):
    url = serializers.CharField(max_length=500, help_text="An https:// address on a public server.")
    description = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", validators=[no_control_characters]
    )
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.choices), min_length=1, max_length=len(EventType)
    )


class SecretSerializer(serializers.Serializer):
    secret = serializers.CharField(help_text="The new signing secret, shown this once.")


class AttemptSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    status_code = serializers.IntegerField(allow_null=True)
    duration_ms = serializers.IntegerField()
    error = serializers.CharField()


class DeliverySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    event_id = serializers.UUIDField()
    event_type = serializers.CharField()
    status = serializers.ChoiceField(choices=DeliveryStatus.choices)
    attempts = AttemptSerializer(many=True, source="attempt_log.all")
    created_at = serializers.DateTimeField()
    delivered_at = serializers.DateTimeField(allow_null=True)
    next_attempt_at = serializers.DateTimeField(allow_null=True)


def _with_secret(endpoint: object, secret: str) -> dict[str, object]:
    return {**EndpointSerializer(endpoint).data, "secret": secret}


class EndpointListApi(StaffAPIView):
    @extend_schema(
        responses=EndpointSerializer(many=True),
        tags=TAGS,
        examples=body_examples("The organisation's endpoints", answer=ENDPOINT),
    )
    def get(self, request: Request) -> Response:
        """The organisation's webhook endpoints, newest first."""
        return Response(EndpointSerializer(endpoints_of(self.actor), many=True).data)

    @extend_schema(
        request=EndpointWriteSerializer,
        responses={201: EndpointWithSecretSerializer},
        tags=TAGS,
        examples=body_examples(
            "Subscribe an address",
            request={k: ENDPOINT[k] for k in ("url", "description", "event_types")},
            answer={**ENDPOINT, "secret": SHOWN_ONCE},
            status="201",
        ),
    )
    def post(self, request: Request) -> Response:
        """Subscribe an https:// address to event types; the answer holds its secret, shown once."""
        actor = self.actor
        actor.require("webhooks.manage")
        serializer = EndpointWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint, secret = services.endpoint_create(actor=actor, **serializer.validated_data)
        return Response(_with_secret(endpoint, secret), status=status.HTTP_201_CREATED)


class EndpointDetailApi(StaffAPIView):
    @extend_schema(
        responses=EndpointSerializer, tags=TAGS, examples=body_examples("One endpoint", answer=ENDPOINT)
    )
    def get(self, request: Request, pk: int) -> Response:
        """One endpoint of the organisation."""
        return Response(EndpointSerializer(endpoint_of_my_organisation(self.actor, pk)).data)

    @extend_schema(responses={204: None}, tags=TAGS)
    def delete(self, request: Request, pk: int) -> Response:
        """Delete the endpoint and its delivery log."""
        actor = self.actor
        services.endpoint_delete(actor=actor, endpoint=endpoint_of_my_organisation(actor, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class EndpointPauseApi(StaffAPIView):
    @extend_schema(
        request=None,
        responses=EndpointSerializer,
        tags=TAGS,
        examples=body_examples(
            "Paused by an admin", answer={**ENDPOINT, "paused": True, "pause_reason": "admin"}
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Stop sending; events wait until the endpoint is resumed."""
        actor = self.actor
        endpoint = services.endpoint_pause(actor=actor, endpoint=endpoint_of_my_organisation(actor, pk))
        return Response(EndpointSerializer(endpoint).data)


class EndpointResumeApi(StaffAPIView):
    @extend_schema(
        request=None,
        responses=EndpointSerializer,
        tags=TAGS,
        examples=body_examples("Active again", answer=ENDPOINT),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Send again, the waiting events first; the failure count starts afresh."""
        actor = self.actor
        endpoint = services.endpoint_resume(actor=actor, endpoint=endpoint_of_my_organisation(actor, pk))
        return Response(EndpointSerializer(endpoint).data)


class EndpointTestApi(StaffAPIView):
    @extend_schema(
        request=None,
        responses={202: DeliverySerializer},
        tags=TAGS,
        examples=body_examples(
            "A test event queued",
            answer={
                **DELIVERY,
                "event_type": "webhook.test",
                "status": "pending",
                "attempts": [],
                "delivered_at": None,
            },
            status="202",
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Queue a ``webhook.test`` event for this endpoint (tried once)."""
        actor = self.actor
        delivery = services.endpoint_send_test(actor=actor, endpoint=endpoint_of_my_organisation(actor, pk))
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


class EndpointRotateSecretApi(StaffAPIView):
    @extend_schema(
        request=None,
        responses=SecretSerializer,
        tags=TAGS,
        examples=body_examples("A new secret", answer={"secret": SHOWN_ONCE}),
    )
    def post(self, request: Request, pk: int) -> Response:
        """Make a new signing secret (shown once); deliveries from now on are signed with it."""
        actor = self.actor
        secret = services.endpoint_rotate_secret(actor=actor, endpoint=endpoint_of_my_organisation(actor, pk))
        return Response({"secret": secret})


class EndpointDeliveriesApi(StaffAPIView):
    @extend_schema(
        responses=DeliverySerializer(many=True),
        tags=TAGS,
        examples=body_examples("The delivery log", answer=DELIVERY),
    )
    def get(self, request: Request, pk: int) -> Response:
        """The endpoint's latest 50 deliveries, newest first, each with its attempts."""
        endpoint = endpoint_of_my_organisation(self.actor, pk)
        return Response(DeliverySerializer(delivery_log(endpoint), many=True).data)
