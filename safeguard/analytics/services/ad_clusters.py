"""Ad template clusters and the organised groups that join them, per organisation."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from safeguard.analytics import adclusters
from safeguard.analytics.masking import mask_value
from safeguard.analytics.models import Ad, AdCluster
from safeguard.analytics.services.progress import Progress, no_progress


def _opaque(key: str) -> str:
    # adclusters.normalise_identifier reads digit-bearing strings as phones (last ten digits);
    # a blind key is hex, so it is passed in the one shape that function keeps whole.
    return f"{key}@blind"


def _slot_values(kind: str, values: Iterable[tuple[str, int]]) -> list[list[Any]]:
    if kind in ("phone", "email"):
        merged: Counter[str] = Counter()
        for value, count in values:
            merged[mask_value(kind, value)] += count
        return [[value, count] for value, count in merged.most_common()]
    return [[value, count] for value, count in values]


def ads_cluster(*, organisation_id: int, progress: Progress = no_progress) -> dict[str, int]:
    """Cluster every ad of an organisation by template and join clusters into organised groups.

    A system service (after an import, or the batch command); it takes no actor.
    """
    stored = list(Ad.objects.filter(organisation_id=organisation_id).order_by("pk"))
    ads = [
        adclusters.Ad(
            ad_id=str(ad.pk),
            text=ad.text,
            site=ad.site,
            posted_at=ad.posted_at,
            identifiers=tuple(_opaque(key) for key in ad.phone_keys),
            location=ad.location,
        )
        for ad in stored
    ]

    def report(phase: str, total: int, done_now: int) -> None:
        progress(f"clustering ({phase})", 10 if phase == "minhash" else 60)

    result = adclusters.cluster_ads(ads, progress=report)
    progress("grouping", 80)
    groups = adclusters.find_organised_groups(ads, result)
    group_of: dict[int, tuple[int, float]] = {}
    for group in groups:
        for cluster_id in group.cluster_ids:
            group_of[cluster_id] = (group.group_id, group.score)
    posted = {str(ad.pk): ad.posted_at for ad in stored}
    sites = {str(ad.pk): ad.site for ad in stored}
    with transaction.atomic():
        AdCluster.objects.filter(organisation_id=organisation_id).delete()
        for cluster in result.clusters:
            times = [at for a in cluster.ad_ids if (at := posted[a]) is not None]
            template = cluster.template
            grouped = group_of.get(cluster.cluster_id)
            row = AdCluster.objects.create(
                organisation_id=organisation_id,
                template_tokens=list(template.tokens) if template else [],
                slots=[
                    {"name": slot.name, "kind": slot.kind, "values": _slot_values(slot.kind, slot.values)}
                    for slot in (template.slots if template else ())
                ],
                size=cluster.size,
                sites=sorted({sites[a] for a in cluster.ad_ids if sites[a]}),
                group=grouped[0] if grouped else None,
                group_score=grouped[1] if grouped else None,
                first_posted=min(times) if times else None,
                last_posted=max(times) if times else None,
            )
            Ad.objects.filter(pk__in=[int(a) for a in cluster.ad_ids]).update(cluster=row)
    progress("clustered", 100)
    return {"ads": len(ads), "clusters": len(result.clusters), "groups": len(groups)}
