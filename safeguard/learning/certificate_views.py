"""Certificates: a learner (staff or with a learner account) downloads theirs; anyone checks a code."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats

from safeguard.learning.certificates import code_for, digest_of, normalise
from safeguard.learning.models import Certificate
from safeguard.learning.pdfs import certificate_pdf
from safeguard.learning.progress import is_staff_learner, signed_in_learner


def certificate_download(request: HttpRequest, certificate_id: int) -> HttpResponse:
    """The signed-in learner's own certificate (a staff user's or a learner account's), printed
    again from what was stored at issue; anyone else's is "not found"."""
    account = signed_in_learner(request)
    if account is not None:
        certificate = Certificate.objects.filter(pk=certificate_id, learner=account).first()
    elif is_staff_learner(request):
        certificate = Certificate.objects.filter(pk=certificate_id, user_id=request.user.pk or 0).first()
    else:
        certificate = None
    if certificate is None:
        raise Http404("certificate")
    code = code_for(certificate.serial)
    pdf = certificate_pdf(
        learner_name=certificate.learner_name,
        course_title=certificate.course_title,
        issued_on=formats.date_format(certificate.issued_at, "DATE_FORMAT"),
        percent=f"{certificate.percent:.0f}",
        code=code,
        verify_url=request.build_absolute_uri(reverse("learning:verify_code", args=[code])),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.pk}.pdf"'
    return response


def verify(request: HttpRequest) -> HttpResponse:
    """A form to type a code; the answer is on the code's own page."""
    code = normalise(request.GET.get("code", ""))
    if code:
        return redirect("learning:verify_code", code=code)
    return render(request, "learning/verify.html", {"status": None})


def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    """Valid, revoked, or unknown (a forged or mistyped code): the same look-up for each."""
    certificate = Certificate.objects.filter(code_digest=digest_of(code)).first()
    if certificate is None:
        status = "unknown"
    elif certificate.revoked_at is not None:
        status = "revoked"
    else:
        status = "valid"
    return render(
        request,
        "learning/verify.html",
        {"status": status, "certificate": certificate, "code": normalise(code)},
        status=404 if status == "unknown" else 200,
    )
