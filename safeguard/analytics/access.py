"""Fetching analytics results *for an actor*: the only way views reach them.

Analytics shows an entity, a network or a mention only through records the actor may see,
by the rules of the apps that own them: reports by ``intake.access``, cases by
``cases.access``, ads by the organisation that imported them. An entity or network with no
visible record is "not found", so its existence does not leak.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from safeguard.accounts.access import Actor, require_platform_admin
from safeguard.analytics.models import (
    AdCluster,
    AdImport,
    AnalyticsRun,
    Entity,
    Mention,
    Network,
    NetworkMembership,
    PersonLinkCandidate,
    RecordType,
)
from safeguard.cases.access import cases_visible_to
from safeguard.cases.models import Case
from safeguard.intake.access import reports_visible_to
from safeguard.intake.models import Report


def reports_for(actor: Actor) -> QuerySet[Report]:
    """The reports whose analysis the actor may see: those intake lets them see."""
    return reports_visible_to(actor)


def cases_for(actor: Actor) -> QuerySet[Case]:
    """The cases whose analysis the actor may see: those the cases app lets them see."""
    return cases_visible_to(actor)


def visible_records_q(actor: Actor) -> Q:
    """A filter on ``record_type``/``record_id``/``organisation`` rows: what the actor may see."""
    if actor.organisation is None or not actor.can("analytics.view"):
        return Q(pk__in=[])
    return (
        Q(record_type=RecordType.AD, organisation=actor.organisation)
        | Q(record_type=RecordType.REPORT, record_id__in=reports_for(actor).values("pk"))
        | Q(record_type=RecordType.CASE, record_id__in=cases_for(actor).values("pk"))
    )


def mentions_visible_to(actor: Actor) -> QuerySet[Mention]:
    return Mention.objects.filter(visible_records_q(actor))


def memberships_visible_to(actor: Actor) -> QuerySet[NetworkMembership]:
    return NetworkMembership.objects.filter(visible_records_q(actor))


def entity_for(actor: Actor, entity_id: int) -> Entity:
    """An entity at least one visible record mentions."""
    if not actor.can("analytics.view"):
        raise Http404
    entity = Entity.objects.filter(pk=entity_id).first()
    if entity is None or not mentions_visible_to(actor).filter(entity=entity).exists():
        raise Http404
    return entity


def network_for(actor: Actor, network_id: int) -> Network:
    """A network with at least one visible member."""
    if not actor.can("analytics.view"):
        raise Http404
    network = Network.objects.filter(pk=network_id).first()
    if network is None or not memberships_visible_to(actor).filter(network=network).exists():
        raise Http404
    return network


def networks_visible_to(actor: Actor) -> QuerySet[Network]:
    if not actor.can("analytics.view"):
        return Network.objects.none()
    return Network.objects.filter(pk__in=memberships_visible_to(actor).values("network_id"))


def ad_imports_visible_to(actor: Actor) -> QuerySet[AdImport]:
    if actor.organisation is None or not actor.can("analytics.view"):
        return AdImport.objects.none()
    return AdImport.objects.filter(organisation=actor.organisation)


def ad_import_for(actor: Actor, import_id: int) -> AdImport:
    ad_import = ad_imports_visible_to(actor).filter(pk=import_id).first()
    if ad_import is None:
        raise Http404
    return ad_import


def ad_clusters_visible_to(actor: Actor) -> QuerySet[AdCluster]:
    if actor.organisation is None or not actor.can("analytics.view"):
        return AdCluster.objects.none()
    return AdCluster.objects.filter(organisation=actor.organisation)


def ad_cluster_for(actor: Actor, cluster_id: int) -> AdCluster:
    cluster = ad_clusters_visible_to(actor).filter(pk=cluster_id).first()
    if cluster is None:
        raise Http404
    return cluster


def link_candidates_for(actor: Actor) -> QuerySet[PersonLinkCandidate]:
    if actor.organisation is None or not actor.can("analytics.review"):
        return PersonLinkCandidate.objects.none()
    return PersonLinkCandidate.objects.filter(organisation=actor.organisation)


def link_candidate_for(actor: Actor, candidate_id: int) -> PersonLinkCandidate:
    candidate = link_candidates_for(actor).filter(pk=candidate_id).first()
    if candidate is None:
        raise Http404
    return candidate


def runs_visible_to(actor: Actor) -> QuerySet[AnalyticsRun]:
    """The batch runs of the actor's organisation. Platform-wide network rebuilds are not among
    them: their result counts every organisation's records."""
    if actor.organisation is None or not actor.can("analytics.view"):
        return AnalyticsRun.objects.none()
    return AnalyticsRun.objects.filter(organisation=actor.organisation)


def run_for(actor: Actor, run_id: int) -> AnalyticsRun:
    run = runs_visible_to(actor).filter(pk=run_id).first()
    if run is None:
        raise Http404
    return run


def network_rebuilds_for_platform_admin(user: Any) -> QuerySet[AnalyticsRun]:
    """Platform-wide network rebuilds, for a platform administrator; everyone else is refused."""
    require_platform_admin(user)
    return AnalyticsRun.objects.filter(kind=AnalyticsRun.Kind.NETWORKS, organisation__isnull=True)


def network_rebuild_for_platform_admin(user: Any, run_id: int) -> AnalyticsRun:
    run = network_rebuilds_for_platform_admin(user).filter(pk=run_id).first()
    if run is None:
        raise Http404
    return run
