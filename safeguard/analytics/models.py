"""What analytics stores: entities, their mentions, networks, imported ads, clusters, link reviews.

Analytics reads what ``intake`` and ``cases`` wrote and keeps only its own results. Keys of
sensitive identifiers (phones, e-mails, URLs, handles, plates, names) are stored as blind
indexes (``Entity.key_index``), never as plaintext; their readable form is kept encrypted
(``Entity.value``) and shown only to users who may see a record that mentions it. Every key is
derived from personal data, domains and places included, so ``label`` is never filled any more
(migration 0002 moved old plaintext labels into ``value``).

Records are referred to by type and id (``record_type``, ``record_id``) rather than foreign
keys, so this app never locks or cascades into the apps that own them; each mention and
membership carries the owning organisation for access filtering.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safeguard.core.fields import EncryptedTextField


class EntityKind(models.TextChoices):
    PHONE = "phone", _("Phone number")
    EMAIL = "email", _("E-mail address")
    URL = "url", _("Web address")
    DOMAIN = "domain", _("Domain")
    HANDLE = "handle", _("Social-media handle")
    PLATE = "plate", _("Vehicle plate")
    NAME = "name", _("Person name")
    PLACE = "place", _("Place")


# Kinds whose key is personal data: matched by blind index, shown encrypted or masked.
SENSITIVE_KINDS = frozenset(
    {EntityKind.PHONE, EntityKind.EMAIL, EntityKind.URL, EntityKind.HANDLE, EntityKind.PLATE, EntityKind.NAME}
)
# Kinds that link records into networks; names and places are too common to link on by
# themselves (person linking handles names with a probabilistic model instead).
LINKING_KINDS = frozenset(
    {
        EntityKind.PHONE,
        EntityKind.EMAIL,
        EntityKind.URL,
        EntityKind.DOMAIN,
        EntityKind.HANDLE,
        EntityKind.PLATE,
    }
)


class RecordType(models.TextChoices):
    REPORT = "report", _("Report")
    CASE = "case", _("Case")
    AD = "ad", _("Online ad")


class Network(models.Model):
    """A connected component of the identifier-link graph (records ↔ shared entities).

    The id is kept stable across rebuilds where the records stay together, so "network 12" in
    an old alert still points at the same group.
    """

    size = models.PositiveIntegerField(_("records"), default=0)
    entity_count = models.PositiveIntegerField(_("shared identifiers"), default=0)
    community_count = models.PositiveIntegerField(_("communities"), default=0)
    first_seen = models.DateTimeField(_("first seen"), null=True, blank=True)
    last_seen = models.DateTimeField(_("last seen"), null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-size", "id"]

    def __str__(self) -> str:
        return f"network {self.pk}"


class Entity(models.Model):
    """One phone, e-mail, handle … known to analytics, identified by kind and blind key."""

    kind = models.CharField(_("kind"), max_length=8, choices=EntityKind.choices)
    key_index = models.CharField(max_length=40)
    # Always empty (kept for old rows' migration); the readable form is the encrypted value.
    label = models.CharField(_("label"), max_length=200, blank=True)
    value = EncryptedTextField(_("value"), blank=True)
    network = models.ForeignKey(
        Network, on_delete=models.SET_NULL, null=True, blank=True, related_name="entities"
    )
    record_count = models.PositiveIntegerField(default=0)
    is_stop = models.BooleanField(
        _("too common to link"),
        default=False,
        help_text=_("Mentioned by so many records that it links nothing."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "entities"
        constraints = [models.UniqueConstraint(fields=["kind", "key_index"], name="analytics_entity_key")]
        indexes = [models.Index(fields=["network", "kind"], name="analytics_entity_network")]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"

    @property
    def is_sensitive(self) -> bool:
        return self.kind in SENSITIVE_KINDS


class Mention(models.Model):
    """An entity named by one record (a report, a case or an ad)."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="mentions")
    record_type = models.CharField(max_length=8, choices=RecordType.choices)
    record_id = models.BigIntegerField()
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    field = models.CharField(max_length=40, blank=True)
    occurred_at = models.DateTimeField(null=True, blank=True)
    country = models.CharField(max_length=2, blank=True)
    subdivision = models.CharField(max_length=6, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "record_type", "record_id"], name="analytics_mention_unique"
            )
        ]
        indexes = [
            models.Index(fields=["record_type", "record_id"], name="analytics_mention_record"),
            models.Index(fields=["entity", "organisation"], name="analytics_mention_entity_org"),
        ]

    def __str__(self) -> str:
        return f"{self.record_type}:{self.record_id} → {self.entity_id}"


class NetworkMembership(models.Model):
    """A record's place in a network, and the community of it when the network was split."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    record_type = models.CharField(max_length=8, choices=RecordType.choices)
    record_id = models.BigIntegerField()
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    community = models.PositiveIntegerField(default=0)
    occurred_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record_type", "record_id"], name="analytics_membership_record")
        ]
        indexes = [models.Index(fields=["network", "organisation"], name="analytics_membership_org")]

    def __str__(self) -> str:
        return f"{self.record_type}:{self.record_id} in {self.network_id}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class AdImport(models.Model):
    """One file of online ads an analyst's organisation collected (the platform never scrapes)."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        JSONL = "jsonl", "JSON Lines"

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("file name"), max_length=200)
    format = models.CharField(max_length=8, choices=Format.choices)
    content = EncryptedTextField(blank=True)  # emptied once the import is processed
    status = models.CharField(max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    phase = models.CharField(max_length=40, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    total_rows = models.PositiveIntegerField(default=0)
    imported_rows = models.PositiveIntegerField(default=0)
    flagged_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [{"row": n, "field": name, "message": text}]
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.filename

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class AdCluster(models.Model):
    """Ads of one organisation written from the same template, with the template and its slots."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    template_tokens = models.JSONField(default=list)
    slots = models.JSONField(default=list)  # [{"name", "kind", "values": [[value, count], …]}]
    size = models.PositiveIntegerField(default=0)
    sites = models.JSONField(default=list)
    group = models.PositiveIntegerField(_("organised-activity group"), null=True, blank=True)
    group_score = models.FloatField(null=True, blank=True)
    first_posted = models.DateTimeField(null=True, blank=True)
    last_posted = models.DateTimeField(null=True, blank=True)
    built_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-size", "id"]

    def __str__(self) -> str:
        return f"cluster {self.pk}"

    @property
    def template_text(self) -> str:
        return " ".join(self.template_tokens)


class Ad(models.Model):
    """One imported online ad. Its phones are kept only as blind keys."""

    ad_import = models.ForeignKey(AdImport, on_delete=models.CASCADE, related_name="ads")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    external_id = models.CharField(_("id in the file"), max_length=100)
    text = EncryptedTextField(_("text"))
    posted_at = models.DateTimeField(_("posted"), null=True, blank=True)
    site = models.CharField(_("site"), max_length=200, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    phone_keys = models.JSONField(default=list, blank=True)
    fraud_flags = models.JSONField(
        default=list, blank=True
    )  # [{"rule", "label", "language", "start", "end"}]
    cluster = models.ForeignKey(
        AdCluster, on_delete=models.SET_NULL, null=True, blank=True, related_name="ads"
    )

    class Meta:
        ordering = ["posted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ad_import", "external_id"], name="analytics_ad_unique_in_import")
        ]

    def __str__(self) -> str:
        return self.external_id


class LinkStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    CONFIRMED = "confirmed", _("Same person")
    REJECTED = "rejected", _("Different people")


class PersonLinkCandidate(models.Model):
    """Two person mentions the model thinks may be one person; an analyst decides.

    Mention ids look like ``report:12:suspect:0`` or ``case:4:person``. A decision is kept and
    fed back into every later linking run: a confirmed pair is always linked, a rejected pair
    never.
    """

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    left_id = models.CharField(max_length=60)
    right_id = models.CharField(max_length=60)
    probability = models.FloatField()
    # Why the model scored the pair (the review page's waterfall): the prior's match weight, then
    # per field {"column", "level", "gamma", "weight"}. Level names and weights only, no values.
    prior_weight = models.FloatField(default=0.0)
    match_weight = models.FloatField(null=True, blank=True)
    comparisons = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=LinkStatus.choices, default=LinkStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-probability", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "left_id", "right_id"], name="analytics_link_pair"
            )
        ]
        indexes = [models.Index(fields=["organisation", "status"], name="analytics_link_queue")]

    def __str__(self) -> str:
        return f"{self.left_id} ~ {self.right_id}"


class AnalyticsRun(models.Model):
    """A batch job (network rebuild, person linking) with its progress, for status pages."""

    class Kind(models.TextChoices):
        NETWORKS = "networks", _("Rebuild networks")
        LINKING = "linking", _("Person linking")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED)
    phase = models.CharField(max_length=40, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
