"""``manage.py analytics_rebuild``: re-extract every record, rebuild networks, re-cluster ads
and refresh every organisation's person-link review queue, with a progress bar."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from tqdm import tqdm

from safeguard.analytics import records
from safeguard.analytics.models import Ad
from safeguard.analytics.services.ad_clusters import ads_cluster
from safeguard.analytics.services.entities import records_extract_all
from safeguard.analytics.services.networks import networks_rebuild
from safeguard.analytics.services.person_links import person_linking_run


class Command(BaseCommand):
    help = "Rebuild analytics in batch: entities, networks, ad clusters and person links."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--skip-extract", action="store_true", help="reuse the stored mentions")
        parser.add_argument("--skip-linking", action="store_true", help="do not run person linking")

    def handle(self, *args: Any, **options: Any) -> None:
        quiet = options["verbosity"] == 0

        def stage(name: str) -> Any:
            bar = tqdm(total=100, desc=name, unit="%", disable=quiet, file=self.stderr._out)

            def update(phase: str, percent: int) -> None:
                bar.set_postfix_str(phase)
                bar.update(max(0, percent - bar.n))

            return bar, update

        if not options["skip_extract"]:
            bar, update = stage("entities")
            counts = records_extract_all(progress=update)
            bar.close()
            self.stdout.write(f"entities: {counts}")
        bar, update = stage("networks")
        result = networks_rebuild(progress=update)
        bar.close()
        self.stdout.write(f"networks: {result}")
        organisations = sorted(set(Ad.objects.values_list("organisation_id", flat=True)))
        for organisation_id in organisations:
            bar, update = stage(f"ads of organisation {organisation_id}")
            clusters = ads_cluster(organisation_id=organisation_id, progress=update)
            bar.close()
            self.stdout.write(f"ad clusters: {clusters}")
        if not options["skip_linking"]:
            for organisation_id in records.organisations_with_records():
                bar, update = stage(f"person links of organisation {organisation_id}")
                linked = person_linking_run(organisation_id=organisation_id, progress=update)
                bar.close()
                self.stdout.write(f"person links: {linked}")
        self.stdout.write(self.style.SUCCESS("Analytics rebuilt."))
