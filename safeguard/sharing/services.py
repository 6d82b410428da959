"""Writes of releases and privacy budgets.

``release_request_microdata`` and ``release_request_counts`` act for a user and check
``release.prepare``; ``release_execute`` is the background task's body and takes no actor;
``release_decide`` needs ``release.approve`` and a person other than the one who prepared it.
Each write is one transaction with an audit event.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeguard.accounts.access import Actor
from safeguard.collaboration import access as collaboration_access
from safeguard.collaboration.models import LEVEL_RANK, ItemType, ShareLevel
from safeguard.core.audit import audit_record
from safeguard.sharing import anonymity, privacy, selectors
from safeguard.sharing.models import BudgetEntry, PrivacyBudget, Release, ReleaseKind, ReleaseStatus

logger = logging.getLogger(__name__)

MAX_K = 1000


def _new_release(actor: Actor, kind: str, title: str, parameters: dict[str, object]) -> Release:
    assert actor.organisation is not None  # roles are held in an organisation
    release = Release(
        organisation=actor.organisation,
        kind=kind,
        title=title.strip(),
        parameters=parameters,
        created_by=actor.user,
    )
    release.full_clean()
    release.save()
    return release


def _enqueue(release: Release) -> None:
    from safeguard.sharing.tasks import release_compute

    transaction.on_commit(lambda: release_compute.enqueue(release_id=release.pk))


@transaction.atomic
def release_request_microdata(
    *,
    actor: Actor,
    title: str,
    quasi_identifiers: Sequence[str],
    k: int = 11,
    sensitive: Sequence[str] = (),
    l_diversity: int | None = None,
    max_suppression: float = 0.05,
    task_force_id: int | None = None,
) -> Release:
    """Queue a k-anonymous release of the organisation's consenting case records, or of the cases
    shared into a task force the actor takes part in (those it sees at the de-identified level or
    above, in the columns that level shows)."""
    actor.require("release.prepare")
    errors: dict[str, list[str]] = {}
    known = set(selectors.SOURCE_COLUMNS)
    share_ids: list[int] = []
    if task_force_id is not None:
        task_force = collaboration_access.taskforce_for(actor, task_force_id)
        share_ids = sorted(
            visible.share.pk
            for visible in collaboration_access.shares_in(actor, task_force)
            if visible.share.item_type == ItemType.CASE
            and visible.share.is_active()
            and LEVEL_RANK[ShareLevel(visible.level)] >= LEVEL_RANK[ShareLevel.DEIDENTIFIED]
        )
        if not share_ids:
            errors["task_force"] = [_("No case is shared into this task force at the de-identified level.")]
        known = set(selectors.TASK_FORCE_COLUMNS)
    if not quasi_identifiers:
        errors["quasi_identifiers"] = [_("Choose at least one quasi-identifier.")]
    elif set(quasi_identifiers) - known and share_ids:
        errors["quasi_identifiers"] = [
            _(
                "A task force's shared cases are released in gender, citizenship, country of exploitation, "
                "year, kinds of exploitation and status only."
            )
        ]
    elif set(quasi_identifiers) - known:
        errors["quasi_identifiers"] = [_("Choose quasi-identifiers from the list.")]
    if set(sensitive) - known:
        errors["sensitive"] = [_("Choose sensitive columns from the list.")]
    elif set(sensitive) & set(quasi_identifiers):
        errors["sensitive"] = [_("A column cannot be both a quasi-identifier and sensitive.")]
    if not 2 <= k <= MAX_K:
        errors["k"] = [_("k must be between 2 and %(max)s.") % {"max": MAX_K}]
    if l_diversity is not None and not sensitive:
        errors["l_diversity"] = [_("l-diversity needs at least one sensitive column.")]
    elif l_diversity is not None and l_diversity < 2:
        errors["l_diversity"] = [_("l must be at least 2.")]
    if not 0.0 <= max_suppression <= 0.5:
        errors["max_suppression"] = [_("The suppression limit must be between 0 and 0.5.")]
    if errors:
        raise ValidationError(errors)
    release = _new_release(
        actor,
        ReleaseKind.MICRODATA,
        title,
        {
            "quasi_identifiers": list(quasi_identifiers),
            "k": k,
            "sensitive": list(sensitive),
            "l": l_diversity if sensitive else None,
            "max_suppression": max_suppression,
            **({"task_force": task_force_id, "shares": share_ids} if task_force_id is not None else {}),
        },
    )
    audit_record(
        action="sharing.release_requested", actor=actor, target=release,
        detail={"kind": release.kind, "task_force": task_force_id, "shares": len(share_ids)},
    )  # fmt: skip
    _enqueue(release)
    return release


@transaction.atomic
def release_request_counts(*, actor: Actor, title: str, by: Sequence[str], epsilon: float) -> Release:
    """Queue differentially private counts, spending ``epsilon`` of the organisation's budget now.

    The ε is written to the ledger in this transaction, under a lock on the budget row, so two
    releases at once cannot together overspend it; it stays spent whatever happens to the release
    (its noise may already have been drawn).
    """
    actor.require("release.prepare")
    assert actor.organisation is not None
    errors: dict[str, list[str]] = {}
    if not by or set(by) - set(selectors.COUNT_COLUMNS):
        errors["by"] = [_("Choose one or more columns to count by from the list.")]
    elif len(by) > 3:
        errors["by"] = [_("Count by at most three columns.")]
    budget, _created = PrivacyBudget.objects.select_for_update().get_or_create(
        organisation=actor.organisation
    )
    spent = selectors.epsilon_spent(actor.organisation)
    if not math.isfinite(epsilon) or epsilon <= 0:
        errors["epsilon"] = [_("ε must be a positive number.")]
    else:
        try:
            privacy.check_budget(epsilon=epsilon, spent=spent, total=budget.total_epsilon)
        except privacy.BudgetExceeded:
            errors["epsilon"] = [
                _("ε %(epsilon)s is more than the %(left)s left of your organisation's budget of %(total)s.")
                % {
                    "epsilon": f"{epsilon:g}",
                    "left": f"{max(0.0, budget.total_epsilon - spent):g}",
                    "total": f"{budget.total_epsilon:g}",
                }
            ]
    if errors:
        raise ValidationError(errors)
    release = _new_release(
        actor, ReleaseKind.COUNTS, title, {"by": list(by), "epsilon": epsilon, "threshold": budget.threshold}
    )
    BudgetEntry.objects.create(
        organisation=actor.organisation, release=release, epsilon=epsilon, spent_by=actor.user
    )
    audit_record(
        action="sharing.release_requested",
        actor=actor,
        target=release,
        detail={"kind": release.kind, "epsilon": epsilon, "spent_before": spent},
    )
    _enqueue(release)
    return release


def _progress(release: Release) -> Callable[[float], None]:
    def update(share: float) -> None:
        Release.objects.filter(pk=release.pk).update(progress=max(1, min(99, int(share * 100))))

    return update


def release_execute(*, release_id: int) -> Release:
    """Compute a queued release; it ends ``ready`` with its rows and report, or ``failed``.

    Called by the background task (no actor: the user who asked was checked then). The source
    rows are read here and never stored.
    """
    release = Release.objects.select_related("organisation").get(pk=release_id)
    if release.status != ReleaseStatus.QUEUED:
        return release
    Release.objects.filter(pk=release.pk).update(status=ReleaseStatus.RUNNING, progress=1)
    try:
        parameters = release.parameters
        if parameters.get("task_force") is not None:  # revoked or expired shares drop out here
            table, left_out = selectors.task_force_table([int(pk) for pk in parameters["shares"]])
        else:
            table, left_out = selectors.source_table(release.organisation)
        progress = _progress(release)
        progress(0.05)
        if release.kind == ReleaseKind.MICRODATA:
            quasi = list(parameters["quasi_identifiers"])
            hierarchies = {
                column: selectors.country_regions()
                for column in ("prs_Citizenship", "vic_CountryOfExploitation")
                if column in quasi
            }
            result = anonymity.anonymise(
                table.drop(columns=["age_band"]),
                quasi_identifiers=quasi,
                k=int(parameters["k"]),
                sensitive=list(parameters.get("sensitive") or []),
                l_diversity=parameters.get("l"),
                hierarchies=hierarchies,
                max_suppression=float(parameters["max_suppression"]),
                progress=progress,
            )
            report = result.report()
            released = result.table
        else:
            counts = privacy.noisy_counts(
                table,
                by=list(parameters["by"]),
                epsilon=float(parameters["epsilon"]),
                threshold=int(parameters["threshold"]),
            )
            report = counts.report()
            released = counts.table().astype(object).where(counts.table().notna(), "")
        report["cases_without_statistics_consent"] = left_out
        if parameters.get("task_force") is not None:
            report["task_force"] = parameters["task_force"]
    except (anonymity.ReleaseError, privacy.PrivacyError) as error:
        return _finish(release, status=ReleaseStatus.FAILED, error=str(error))
    except Exception:
        logger.exception("release %s failed", release.pk)
        _finish(
            release,
            status=ReleaseStatus.FAILED,
            error=_("The computation failed unexpectedly; the error is in the server log."),
        )
        raise
    return _finish(
        release,
        status=ReleaseStatus.READY,
        report=report,
        columns=[str(column) for column in released.columns],
        rows=[[str(value) for value in row] for row in released.itertuples(index=False)],
    )


@transaction.atomic
def _finish(
    release: Release,
    *,
    status: str,
    error: str = "",
    report: dict[str, object] | None = None,
    columns: list[str] | None = None,
    rows: list[list[str]] | None = None,
) -> Release:
    release.status = status
    release.error = error
    release.report = report or {}
    release.columns = columns or []
    release.rows = rows or []
    release.progress = 100
    release.finished_at = timezone.now()
    release.save(update_fields=["status", "error", "report", "columns", "rows", "progress", "finished_at"])
    audit_record(
        action="sharing.release_computed" if status == ReleaseStatus.READY else "sharing.release_failed",
        organisation=release.organisation,
        target=release,
        detail={"rows": len(release.rows)},
    )
    return release


@transaction.atomic
def release_decide(
    *, actor: Actor, release: Release, approve: bool, publish: bool = False, reason: str = ""
) -> Release:
    """Approve (optionally publishing it) or reject a computed release; never by its preparer."""
    actor.require("release.approve")
    if release.organisation_id != getattr(actor.organisation, "pk", None):
        raise PermissionDenied("release of another organisation")
    if release.created_by_id == actor.user.pk:
        raise PermissionDenied("a second person approves a release")
    if release.status != ReleaseStatus.READY:
        raise ValidationError(_("Only a computed release waiting for approval can be approved or rejected."))
    if not approve and not reason.strip():
        raise ValidationError({"reason": [_("Say why the release is rejected.")]})
    release.status = ReleaseStatus.APPROVED if approve else ReleaseStatus.REJECTED
    release.is_public = approve and publish
    release.decided_by = actor.user
    release.decided_at = timezone.now()
    release.decision_reason = reason.strip()
    release.save(update_fields=["status", "is_public", "decided_by", "decided_at", "decision_reason"])
    audit_record(
        action="sharing.release_approved" if approve else "sharing.release_rejected",
        actor=actor,
        target=release,
        detail={"published": release.is_public},
    )
    return release


@transaction.atomic
def release_set_public(*, actor: Actor, release: Release, public: bool) -> Release:
    """Publish an approved release on the public statistics page, or take it off."""
    actor.require("release.approve")
    if release.organisation_id != getattr(actor.organisation, "pk", None):
        raise PermissionDenied("release of another organisation")
    if release.status != ReleaseStatus.APPROVED:
        raise ValidationError(_("Only an approved release can be published."))
    release.is_public = public
    release.save(update_fields=["is_public"])
    audit_record(
        action="sharing.release_published" if public else "sharing.release_unpublished",
        actor=actor,
        target=release,
    )
    return release


def release_download_record(*, actor: Actor, release: Release, file_format: str) -> None:
    """Audit a download of an approved release (the caller fetched it through ``access``)."""
    if not release.is_downloadable:
        raise PermissionDenied("the release is not approved")
    audit_record(
        action="sharing.release_downloaded", actor=actor, target=release, detail={"format": file_format}
    )


@transaction.atomic
def budget_update(*, actor: Actor, total_epsilon: float, threshold: int) -> PrivacyBudget:
    """Set the organisation's privacy budget (never below what is already spent) and threshold."""
    actor.require("privacy.manage")
    assert actor.organisation is not None
    budget, _created = PrivacyBudget.objects.select_for_update().get_or_create(
        organisation=actor.organisation
    )
    spent = selectors.epsilon_spent(actor.organisation)
    errors: dict[str, list[str]] = {}
    if not math.isfinite(total_epsilon) or total_epsilon < spent or total_epsilon > 1000:
        errors["total_epsilon"] = [
            _("The budget must be between the %(spent)s already spent and 1000.") % {"spent": f"{spent:g}"}
        ]
    if threshold < 0 or threshold > 1000:
        errors["threshold"] = [_("The threshold must be between 0 and 1000.")]
    if errors:
        raise ValidationError(errors)
    before = {"total_epsilon": budget.total_epsilon, "threshold": budget.threshold}
    budget.total_epsilon = total_epsilon
    budget.threshold = threshold
    budget.updated_at = timezone.now()
    budget.save(update_fields=["total_epsilon", "threshold", "updated_at"])
    audit_record(
        action="sharing.budget_updated",
        actor=actor,
        target=budget,
        detail={"before": before, "after": {"total_epsilon": total_epsilon, "threshold": threshold}},
    )
    return budget
