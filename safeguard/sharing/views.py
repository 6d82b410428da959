"""Pages for releases and the public statistics page. Thin: check access, validate, call one service."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safeguard.accounts.access import actor_for
from safeguard.accounts.models import Organisation
from safeguard.accounts.permissions import staff_view
from safeguard.collaboration import access as collaboration_access
from safeguard.core.forms import submitted
from safeguard.sharing import access, charts, exports, selectors, services
from safeguard.sharing.forms import BudgetForm, CountsForm, DecisionForm, MicrodataForm
from safeguard.sharing.models import Release, ReleaseKind

PREVIEW_ROWS = 50


@staff_view("release.view")
def releases(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    assert actor.organisation is not None
    budget = selectors.budget_of(actor.organisation)
    return render(
        request,
        "sharing/releases.html",
        {
            "releases": access.releases_for(actor)[:100],
            "budget": budget,
            "spent": selectors.epsilon_spent(actor.organisation),
            "can_prepare": actor.can("release.prepare"),
            "public_count": selectors.published_releases(actor.organisation).count(),
        },
    )


@staff_view("release.prepare")
def release_new(request: HttpRequest, kind: str) -> HttpResponse:
    actor = actor_for(request)
    assert actor.organisation is not None
    if kind not in ReleaseKind.values:
        raise Http404("kind")
    form: MicrodataForm | CountsForm
    created: list[Release] = []
    if kind == ReleaseKind.MICRODATA:
        task_forces = [
            (task_force.pk, str(_("Task force: %(name)s") % {"name": task_force.name}))
            for task_force in collaboration_access.taskforces_visible_to(actor)
        ]
        form = MicrodataForm(request.POST or None, task_forces=task_forces)
        data = form.cleaned_data if form.is_valid() else {}

        def write() -> None:
            created.append(
                services.release_request_microdata(
                    actor=actor,
                    title=data["title"],
                    quasi_identifiers=data["quasi_identifiers"],
                    k=data["k"],
                    sensitive=data["sensitive"],
                    l_diversity=data["l_diversity"],
                    max_suppression=data["max_suppression"],
                    task_force_id=data.get("task_force"),
                )
            )
    else:
        form = CountsForm(request.POST or None)
        data = form.cleaned_data if form.is_valid() else {}

        def write() -> None:
            created.append(
                services.release_request_counts(
                    actor=actor, title=data["title"], by=data["by"], epsilon=data["epsilon"]
                )
            )

    if submitted(request, form, write, _("The release is being computed.")):
        return redirect("sharing:release", release_id=created[0].pk)
    budget = selectors.budget_of(actor.organisation)
    spent = selectors.epsilon_spent(actor.organisation)
    return render(
        request,
        "sharing/release_form.html",
        {"form": form, "kind": kind, "budget": budget, "left": max(0.0, budget.total_epsilon - spent)},
    )


def _counts_chart(release: Release) -> Any:
    if release.kind != ReleaseKind.COUNTS or not release.rows:
        return None
    by = len(release.columns) - 3
    bars = [
        (" · ".join(row[:by]) or "—", _int(row[by]), _int(row[by + 1]), _int(row[by + 2]))
        for row in release.rows[:60]
    ]
    return charts.counts_chart_svg(bars, title=release.title)


def _int(text: str) -> int | None:
    return int(text) if text not in ("", "None", "<NA>") else None


@staff_view("release.view")
def release_detail(request: HttpRequest, release_id: int) -> HttpResponse:
    actor = actor_for(request)
    release = access.release_for(actor, release_id)
    return render(
        request,
        "sharing/release_detail.html",
        {
            "release": release,
            "preview": release.rows[:PREVIEW_ROWS],
            "dictionary": exports.data_dictionary(release),
            "chart": _counts_chart(release),
            "can_decide": actor.can("release.approve") and release.created_by_id != actor.user.pk,
            "can_publish": actor.can("release.approve"),
            "decision_form": DecisionForm(),
        },
    )


@staff_view("release.view")
def release_status(request: HttpRequest, release_id: int) -> HttpResponse:
    """The status fragment the release page polls; a finished release makes htmx reload the page."""
    release = access.release_for(actor_for(request), release_id)
    response = render(request, "sharing/_release_status.html", {"release": release})
    if release.is_finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@require_POST
@staff_view("release.approve")
def release_decide(request: HttpRequest, release_id: int) -> HttpResponse:
    actor = actor_for(request)
    release = access.release_for(actor, release_id)
    form = DecisionForm(request.POST)
    approve = request.POST.get("decision") == "approve"
    if submitted(
        request,
        form,
        lambda: services.release_decide(
            actor=actor,
            release=release,
            approve=approve,
            publish=form.cleaned_data["publish"],
            reason=form.cleaned_data["reason"],
        ),
        _("Release approved.") if approve else _("Release rejected."),
    ):
        return redirect("sharing:release", release_id=release.pk)
    return render(
        request,
        "sharing/release_detail.html",
        {
            "release": release,
            "preview": release.rows[:PREVIEW_ROWS],
            "dictionary": exports.data_dictionary(release),
            "chart": _counts_chart(release),
            "can_decide": True,
            "can_publish": True,
            "decision_form": form,
        },
        status=400,
    )


@require_POST
@staff_view("release.approve")
def release_publish(request: HttpRequest, release_id: int) -> HttpResponse:
    actor = actor_for(request)
    release = access.release_for(actor, release_id)
    try:
        services.release_set_public(actor=actor, release=release, public=request.POST.get("public") == "1")
    except ValidationError:
        raise Http404("not an approved release") from None
    return redirect("sharing:release", release_id=release.pk)


def _download(release: Release, file_format: str) -> HttpResponse:
    name = f"release-{release.pk}"
    if file_format == "xlsx":
        response = HttpResponse(
            exports.release_xlsx(release),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(exports.release_csv(release), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response


@staff_view("release.view")
def release_download(request: HttpRequest, release_id: int, file_format: str) -> HttpResponse:
    actor = actor_for(request)
    release = access.release_for(actor, release_id)
    if not release.is_downloadable:
        raise Http404("not approved")
    services.release_download_record(actor=actor, release=release, file_format=file_format)
    return _download(release, file_format)


@staff_view("release.view")
def budget(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    assert actor.organisation is not None
    current = selectors.budget_of(actor.organisation)
    form = None
    if actor.can("privacy.manage"):
        form = BudgetForm(
            request.POST or None,
            initial={"total_epsilon": current.total_epsilon, "threshold": current.threshold},
        )
    if request.method == "POST":
        actor.require("privacy.manage")
        assert form is not None
        data = form.cleaned_data if form.is_valid() else {}
        if submitted(
            request,
            form,
            lambda: services.budget_update(
                actor=actor, total_epsilon=data["total_epsilon"], threshold=data["threshold"]
            ),
            _("Privacy budget saved."),
        ):
            return redirect("sharing:budget")
    return render(
        request,
        "sharing/budget.html",
        {
            "budget": current,
            "spent": selectors.epsilon_spent(actor.organisation),
            "ledger": access.ledger_for(actor)[:200],
            "form": form,
        },
    )


def public_statistics(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation's published releases, for anyone: tables, charts, method, downloads."""
    organisation = get_object_or_404(Organisation, slug=slug, is_active=True)
    published = [
        {"release": release, "chart": _counts_chart(release), "dictionary": exports.data_dictionary(release)}
        for release in selectors.published_releases(organisation)
    ]
    return render(
        request, "sharing/public_statistics.html", {"organisation": organisation, "published": published}
    )


def public_download(request: HttpRequest, slug: str, release_id: int, file_format: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug, is_active=True)
    release = selectors.published_releases(organisation).filter(pk=release_id).first()
    if release is None:
        raise Http404("no such published release")
    return _download(release, file_format)
