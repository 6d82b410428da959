"""Federation pages (platform administrators pair; supervisors ask) and the protocol endpoints."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from safeguard.accounts.access import actor_for
from safeguard.accounts.permissions import platform_admin_view, staff_view
from safeguard.collaboration import selectors as collaboration_selectors
from safeguard.collaboration.forms import AccessRequestForm, DeclineForm
from safeguard.core.forms import submitted
from safeguard.sharing import federated_access, federation, handovers, person_matching, rekeying, signing
from safeguard.sharing.models import FederatedMatch, Peer, PeerStatus, RemoteAccessStatus


class PairForm(forms.Form):
    url = forms.CharField(label=gettext_lazy("Address of the other installation"), max_length=200)
    own_url = forms.CharField(label=gettext_lazy("Address of this installation"), max_length=200)
    own_name = forms.CharField(label=gettext_lazy("Name of this installation"), max_length=200)


@platform_admin_view
def peers(request: HttpRequest) -> HttpResponse:
    me = federation.identity()
    form = PairForm(
        request.POST or None, initial={"own_url": me.url if me else "", "own_name": me.name if me else ""}
    )

    def ask() -> None:
        try:
            federation.peer_request(user=request.user, **form.cleaned_data)
        except federation.FederationError as error:
            raise ValidationError({"url": [str(error)]}) from error

    if submitted(
        request,
        form,
        ask,
        _("The other installation was asked; its platform administrator must accept."),
    ):
        return redirect("sharing:peers")
    rows = [
        (peer, signing.fingerprint(peer.public_key) if peer.public_key else "") for peer in Peer.objects.all()
    ]
    return render(
        request,
        "sharing/peers.html",
        {
            "form": form,
            "peers": rows,
            "me": me,
            "my_fingerprint": signing.fingerprint(me.public_key) if me else "",
        },
    )


def _peer_action(
    request: HttpRequest, peer_id: int, action: Callable[..., Peer], success: str
) -> HttpResponse:
    peer = get_object_or_404(Peer, pk=peer_id)
    try:
        action(user=request.user, peer=peer)
        messages.success(request, success)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except federation.FederationError as error:
        messages.error(request, str(error))
    return redirect("sharing:peers")


@require_POST
@platform_admin_view
def peer_accept(request: HttpRequest, peer_id: int) -> HttpResponse:
    return _peer_action(request, peer_id, federation.peer_accept, _("Paired."))


@require_POST
@platform_admin_view
def peer_unpair(request: HttpRequest, peer_id: int) -> HttpResponse:
    return _peer_action(
        request, peer_id, federation.peer_unpair, _("Unpaired. Nothing more is exchanged with it.")
    )


@require_POST
@platform_admin_view
def rotate_keys(request: HttpRequest) -> HttpResponse:
    try:
        not_told = rekeying.identity_rotate_keys(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("sharing:peers")
    messages.success(request, _("New keys made; every paired installation that could be reached was told."))
    if not_told:
        messages.error(
            request,
            _("Could not be told, and will refuse this installation until paired again: %(names)s")
            % {"names": ", ".join(str(peer) for peer in not_told)},
        )
    return redirect("sharing:peers")


@staff_view("notice.respond")
def matches(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    if request.method == "POST":
        peer = get_object_or_404(Peer, pk=request.POST.get("peer", "0"), status=PeerStatus.PAIRED)
        try:
            found = federation.psi_query(actor=actor, peer=peer)
            messages.success(
                request,
                _("Asked. Matching identifiers: %(count)s.")
                % {"count": sum(found.kinds.values()) if found else 0},
            )
        except PermissionDenied:
            messages.error(
                request,
                _("Your organisation must take part in match notices first (Collaboration settings)."),
            )
        except (ValidationError, federation.FederationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("sharing:matches")
    return render(
        request,
        "sharing/matches.html",
        {
            "peers": Peer.objects.filter(status=PeerStatus.PAIRED),
            "can_settings": actor.can("collaboration.settings"),
            "matches": FederatedMatch.objects.filter(organisation=actor.organisation).select_related("peer")[
                :100
            ],
        },
    )


@staff_view("notice.view")
def remote_notice(request: HttpRequest, notice_id: int) -> HttpResponse:
    """A match notice with another installation: request access, or (asked) grant or decline."""
    actor = actor_for(request)
    match = federated_access.match_of(actor, notice_id)
    notice, access_request = federated_access.notice_page(match)
    asked = access_request is not None and not access_request.outgoing
    can_decide = (
        asked
        and access_request is not None
        and access_request.status == RemoteAccessStatus.PENDING
        and actor.can("notice.respond")
    )
    paired = match.peer.status == PeerStatus.PAIRED
    ask_form = AccessRequestForm(request.POST if request.POST.get("do") == "ask" else None)
    decline_form = DeclineForm(request.POST if request.POST.get("do") == "decline" else None)

    def act(call: Callable[[], Any]) -> HttpResponse | None:
        try:
            call()
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return None
        except federation.FederationError as error:
            messages.error(request, str(error))
            return None
        messages.success(request, _("Done."))
        return redirect("sharing:remote_notice", notice_id)

    if request.method == "POST":
        done: HttpResponse | None = None
        do = request.POST.get("do")
        if do == "ask" and ask_form.is_valid():
            done = act(
                lambda: federated_access.remote_access_request(
                    actor=actor, match=match, **ask_form.cleaned_data
                )
            )
        elif do == "grant" and access_request is not None:
            done = act(
                lambda: federated_access.remote_access_decide(
                    actor=actor, access_request=access_request, grant=True
                )
            )
        elif do == "decline" and access_request is not None and decline_form.is_valid():
            done = act(
                lambda: federated_access.remote_access_decide(
                    actor=actor,
                    access_request=access_request,
                    grant=False,
                    reason=decline_form.cleaned_data["decline_reason"],
                )
            )
        if done is not None:
            return done
    return render(
        request,
        "sharing/remote_notice.html",
        {
            "match": match,
            "notice": notice,
            "text": collaboration_selectors.notice_text(notice) if notice else "",
            "access_request": access_request,
            "asked": asked,
            "paired": paired,
            "ask_form": ask_form
            if paired and access_request is None and notice and notice.status == "open"
            else None,
            "decline_form": decline_form if can_decide and paired else None,
            "views": federated_access.received_views(match),
        },
    )


def _signed(
    request: HttpRequest, path: str, handle: Callable[[dict[str, Any], bytes, str, str], dict[str, Any]]
) -> HttpResponse:
    timestamp = request.headers.get(signing.HEADER_TIME, "")
    signature = request.headers.get(signing.HEADER_SIGNATURE, "")
    try:
        payload = json.loads(request.body or b"{}")
        if not isinstance(payload, dict):
            raise ValueError("not an object")
        result = handle(payload, request.body, timestamp, signature)
    except (signing.SignatureError, PermissionDenied):  # before ValueError: SignatureError is one
        return JsonResponse({"error": "refused"}, status=403)
    except (ValueError, ValidationError):
        return JsonResponse({"error": "bad request"}, status=400)
    me = federation.identity()
    if me is None:
        return JsonResponse({"error": "no identity"}, status=403)
    body, headers = federation.signed_answer(me, path, result)
    response = HttpResponse(body, content_type="application/json")
    for name, value in headers.items():
        response[name] = value
    return response


def _me_payload() -> dict[str, Any]:
    me = federation.identity()
    if me is None:
        raise PermissionDenied("this installation has no identity yet")
    return {"url": me.url, "name": me.name, "public_key": me.public_key}


@csrf_exempt
@require_POST
def protocol(request: HttpRequest, action: str) -> HttpResponse:
    """Requests from other installations; each is signed (see ``signing``)."""
    path = f"{federation.PROTOCOL}{action}"
    sender = request.headers.get(signing.HEADER_INSTALLATION, "")

    def handle(payload: dict[str, Any], body: bytes, timestamp: str, signature: str) -> dict[str, Any]:
        if action == "pair":
            # An installation asked before it ever paired: its address is the one it was reached at.
            # (over HTTPS: a plain-HTTP address is only ever a loopback one, in development)
            host = request.get_host()
            loopback = host.split(":")[0] in federation.LOOPBACK
            federation.ensure_identity(
                url=request.build_absolute_uri("/") if loopback else f"https://{host}", name=host
            )
            federation.received_pair_request(
                payload=payload, body=body, timestamp=timestamp, signature=signature
            )
            return _me_payload()
        if action == "accept":
            federation.received_accept(payload=payload, body=body, timestamp=timestamp, signature=signature)
            return _me_payload()
        peer = federation.paired_sender(
            sender_url=sender, path=path, body=body, timestamp=timestamp, signature=signature
        )
        if action == "unpair":
            federation.received_unpair(peer=peer)
            return {}
        if action == "psi":
            return federation.psi_answer(peer=peer, payload=payload)
        if action == "matched":
            return federation.psi_matched(peer=peer, payload=payload)
        if action == "access":
            return federated_access.received_access_request(peer=peer, payload=payload)
        if action == "decided":
            return federated_access.received_decision(peer=peer, payload=payload)
        if action == "handover_key":
            return handovers.key_answer()
        if action == "handover":
            return handovers.received_handover(peer=peer, payload=payload)
        if action == "person_question":
            return person_matching.received_question(peer=peer, payload=payload, body=body)
        if action == "handover_decided":
            return handovers.received_decision(peer=peer, payload=payload)
        if action == "rekey":
            return rekeying.received_rekey(peer=peer, payload=payload)
        raise PermissionDenied("unknown action")

    return _signed(request, path, handle)
