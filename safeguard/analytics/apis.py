"""Read-only API for analytics: networks, entities, ad clusters and hotspots the caller may see."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from safeguard.accounts.access import Actor
from safeguard.accounts.apiviews import StaffAPIView
from safeguard.analytics import access, selectors
from safeguard.analytics.models import LINKING_KINDS, Network
from safeguard.api.schema import body_examples

# Fictional data for the schema's examples (``api.schema.body_examples``); identifiers are masked
# as the API masks them.
NETWORK_EXAMPLE = {
    "id": 4,
    "visible_records": 3,
    "shared_identifiers": 1,
    "first_seen": "2026-03-10T09:17:00Z",
    "last_seen": "2026-04-02T18:40:00Z",
}


class _AnalyticsApi(StaffAPIView):
    @property
    def analyst(self) -> Actor:
        """The caller, once they may see analytics (403 otherwise)."""
        actor = self.actor
        actor.require("analytics.view")
        return actor


def _network(network: Network, figures: selectors.NetworkFigures) -> dict[str, Any]:
    """A network as the caller may know it: figures over the records they may see."""
    return {
        "id": network.pk,
        "visible_records": figures.visible_records,
        "shared_identifiers": figures.shared_identifiers,
        "first_seen": figures.first_seen,
        "last_seen": figures.last_seen,
    }


def _network_fields() -> dict[str, serializers.Field]:
    return {
        "id": serializers.IntegerField(),
        "visible_records": serializers.IntegerField(),
        "shared_identifiers": serializers.IntegerField(),
        "first_seen": serializers.DateTimeField(allow_null=True),
        "last_seen": serializers.DateTimeField(allow_null=True),
    }


class NetworkListApi(_AnalyticsApi):
    @extend_schema(
        tags=["analytics"],
        summary="Networks with records you can see",
        responses=inline_serializer("AnalyticsNetwork", _network_fields(), many=True),
        examples=body_examples("Three records sharing a phone", answer=NETWORK_EXAMPLE),
    )
    def get(self, request: Request) -> Response:
        actor = self.analyst
        return Response([_network(row["network"], row["figures"]) for row in selectors.networks_list(actor)])


class NetworkDetailApi(_AnalyticsApi):
    @extend_schema(
        tags=["analytics"],
        summary="A network's visible records and the identifiers they mention (masked)",
        responses=inline_serializer(
            "AnalyticsNetworkGraph",
            {
                "network": inline_serializer("AnalyticsNetworkSummary", _network_fields()),
                "nodes": serializers.ListField(),
                "edges": serializers.ListField(),
            },
        ),
        examples=body_examples(
            "Two reports sharing a phone",
            answer={
                "network": {**NETWORK_EXAMPLE, "visible_records": 2},
                "nodes": [
                    {
                        "id": "report:21",
                        "label": "SG-AXM9FZAJ",
                        "type": "record",
                        "kind": "report",
                        "url": "/reports/21/",
                        "when": "2026-03-10",
                    },
                    {
                        "id": "report:34",
                        "label": "SG-09NJ81RQ",
                        "type": "record",
                        "kind": "report",
                        "url": "/reports/34/",
                        "when": "2026-04-02",
                    },
                    {
                        "id": "e7",
                        "label": "\u2022\u2022\u2022678",
                        "type": "entity",
                        "kind": "phone",
                        "kindLabel": "Phone number",
                        "url": "/analytics/entities/7/",
                        "shared": True,
                    },
                ],
                "edges": [
                    {"id": "m11", "source": "report:21", "target": "e7"},
                    {"id": "m12", "source": "report:34", "target": "e7"},
                ],
            },
        ),
    )
    def get(self, request: Request, network_id: int) -> Response:
        actor = self.analyst
        network = access.network_for(actor, network_id)
        graph = selectors.network_graph(actor, network, selectors.GraphFilter(kinds=frozenset(LINKING_KINDS)))
        figures = selectors.network_figures(actor, [network.pk])[network.pk]
        return Response(
            {
                "network": _network(network, figures),
                "nodes": [node["data"] for node in graph["nodes"]],
                "edges": [edge["data"] for edge in graph["edges"]],
            }
        )


class EntityDetailApi(_AnalyticsApi):
    @extend_schema(
        tags=["analytics"],
        summary="An entity and the records you can see that mention it",
        responses=inline_serializer(
            "AnalyticsEntity",
            {
                "id": serializers.IntegerField(),
                "kind": serializers.CharField(),
                "masked": serializers.CharField(),
                "verified": serializers.BooleanField(),
                "network": serializers.IntegerField(allow_null=True),
                "records": serializers.ListField(),
            },
        ),
        examples=body_examples(
            "A phone in two reports",
            answer={
                "id": 7,
                "kind": "phone",
                "masked": "\u2022\u2022\u2022678",
                "verified": False,
                "network": 4,
                "records": [
                    {
                        "type": "report",
                        "id": 34,
                        "label": "SG-09NJ81RQ",
                        "occurred_at": "2026-04-02T18:40:00Z",
                    },
                    {
                        "type": "report",
                        "id": 21,
                        "label": "SG-AXM9FZAJ",
                        "occurred_at": "2026-03-10T09:17:00Z",
                    },
                ],
            },
        ),
    )
    def get(self, request: Request, entity_id: int) -> Response:
        actor = self.analyst
        entity = access.entity_for(actor, entity_id)
        page = selectors.entity_page(actor, entity)
        return Response(
            {
                "id": entity.pk,
                "kind": entity.kind,
                "masked": selectors.entity_masked(entity),
                "verified": page.verified,
                "network": page.network.pk if page.network else None,
                "records": [
                    {
                        "type": ref.record_type,
                        "id": ref.record_id,
                        "label": ref.label,
                        "occurred_at": ref.occurred_at,
                    }
                    for ref in page.records
                ],
            }
        )


class AdClusterListApi(_AnalyticsApi):
    @extend_schema(
        tags=["analytics"],
        summary="Your organisation's ad template clusters",
        responses=inline_serializer(
            "AnalyticsAdCluster",
            {
                "id": serializers.IntegerField(),
                "size": serializers.IntegerField(),
                "template": serializers.CharField(),
                "slots": serializers.ListField(),
                "sites": serializers.ListField(),
                "group": serializers.IntegerField(allow_null=True),
                "group_score": serializers.FloatField(allow_null=True),
            },
            many=True,
        ),
        examples=body_examples(
            "Job ads from one template",
            answer={
                "id": 9,
                "size": 14,
                "template": "{slot1} needed in a hotel , good pay , travel paid . call {slot2}",
                "slots": [
                    {"name": "slot1", "kind": "text", "values": [["waitresses", 9], ["young dancers", 5]]},
                    {"name": "slot2", "kind": "phone", "values": [["\u2022\u2022\u2022678", 14]]},
                ],
                "sites": ["ads.example", "classifieds.example"],
                "group": 2,
                "group_score": 0.81,
            },
        ),
    )
    def get(self, request: Request) -> Response:
        actor = self.analyst
        return Response(
            [
                {
                    "id": cluster.pk,
                    "size": cluster.size,
                    "template": cluster.template_text,
                    "slots": cluster.slots,
                    "sites": cluster.sites,
                    "group": cluster.group,
                    "group_score": cluster.group_score,
                }
                for cluster in access.ad_clusters_visible_to(actor)[:500]
            ]
        )


class HotspotApi(_AnalyticsApi):
    @extend_schema(
        tags=["analytics"],
        summary="This week's counts by region against each region's baseline",
        responses=inline_serializer(
            "AnalyticsHotspots", {"week": serializers.CharField(), "areas": serializers.ListField()}
        ),
        examples=body_examples(
            "One area above its baseline",
            answer={
                "week": "2026-W49",
                "areas": [
                    {"code": "ES-MD", "events": 6, "total": 14, "expected": 1.06, "ratio": 5.65, "hot": True},
                    {"code": "ES-B", "events": 1, "total": 9, "expected": None, "ratio": None, "hot": False},
                ],
            },
        ),
    )
    def get(self, request: Request) -> Response:
        view = selectors.hotspot_view(self.analyst)
        return Response(
            {
                "week": view.week,
                "areas": [
                    {key: area[key] for key in ("code", "events", "total", "expected", "ratio", "hot")}
                    for area in view.areas
                ],
            }
        )
