"""Learner accounts for the public: optional, to keep progress and earn a certificate."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from safeguard.accounts.models import Organisation
from safeguard.core.forms import apply_service_errors
from safeguard.intake.throttling import exhausted, hit
from safeguard.learning import services
from safeguard.learning.models import Certificate, Enrolment
from safeguard.learning.progress import ACCOUNT_KEY, SESSION_KEY, is_staff_learner, signed_in_learner
from safeguard.learning.regions import region_choices

FORGET_KEY = "learning_forget_offline"
SIGN_IN_GROUP, SIGN_IN_RATE = "learner-sign-in", "INTAKE_FOLLOW_UP_FAILURE_RATE"


class RegisterForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Your name, as printed on certificates (optional)"), max_length=200, required=False
    )
    region = forms.ChoiceField(label=gettext_lazy("Where you live"))
    organisation = forms.SlugField(
        label=gettext_lazy("Your organisation's short name, if it gave you one (optional)"),
        max_length=60,
        required=False,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["region"].choices = [("", "–"), *region_choices()]  # type: ignore[attr-defined]

    def clean_organisation(self) -> Organisation | None:
        slug = self.cleaned_data["organisation"]
        if not slug:
            return None
        organisation = Organisation.objects.filter(slug=slug, is_active=True).first()
        if organisation is None:
            raise forms.ValidationError(
                _("No organisation has this short name: check it, or leave it empty.")
            )
        return organisation


class DeleteForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand: my progress, results and certificates are deleted for good."),
        error_messages={"required": gettext_lazy("Tick the box to confirm, or keep your account.")},
    )


class SignInForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Your learner code"), max_length=40)


@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    """Make a learner account, sign in with its code, or sign out."""
    if is_staff_learner(request):
        return redirect("learning:courses")
    action = request.POST.get("action", "")
    register = RegisterForm(request.POST if action == "register" else None)
    sign_in = SignInForm(request.POST if action == "sign_in" else None)
    delete = DeleteForm(request.POST if action == "delete" else None)
    code = ""
    if action == "register" and register.is_valid():
        data = register.cleaned_data
        try:
            registered, code = services.learner_register(
                name=data["name"], region=data["region"], organisation=data["organisation"]
            )
        except ValidationError as error:
            apply_service_errors(register, error)
        else:
            _start_session(request, registered.pk)
    elif action == "sign_in" and sign_in.is_valid():
        if exhausted(request, group=SIGN_IN_GROUP, rate_setting=SIGN_IN_RATE):
            sign_in.add_error(
                "code", _("Too many tries from this connection. Please wait an hour and try again.")
            )
        elif (returning := services.learner_sign_in(code=sign_in.cleaned_data["code"])) is None:
            hit(request, group=SIGN_IN_GROUP, rate_setting=SIGN_IN_RATE)  # wrong codes count
            sign_in.add_error("code", _("This code is not right. Check it and try again."))
        else:
            _start_session(request, returning.pk)
            messages.success(request, _("Signed in. Your progress is kept in your account."))
            return redirect("learning:account")
    elif action == "sign_out":
        request.session.pop(ACCOUNT_KEY, None)
        request.session.pop(SESSION_KEY, None)
        request.session[FORGET_KEY] = True
        messages.success(request, _("Signed out."))
        return redirect("learning:account")
    elif action == "delete" and (leaving := signed_in_learner(request)) is not None and delete.is_valid():
        services.learner_delete(learner=leaving)
        request.session.flush()
        request.session[FORGET_KEY] = True
        messages.success(request, _("Your learner account and everything in it are deleted."))
        return redirect("learning:account")
    learner = signed_in_learner(request)
    context = {
        "learner": learner,
        "code": code,
        # Tell the service worker to drop the pages kept for whoever used this device before.
        "forget": request.session.pop(FORGET_KEY, False) or bool(code),
        "register": register,
        "sign_in": sign_in,
        "delete": delete,
        "enrolments": Enrolment.objects.filter(learner=learner).select_related("course") if learner else [],
        "certificates": Certificate.objects.filter(learner=learner, revoked_at__isnull=True)
        if learner
        else [],
    }
    errors = register.errors or sign_in.errors or delete.errors
    return render(request, "learning/account.html", context, status=400 if errors else 200)


def _start_session(request: HttpRequest, learner_id: int) -> None:
    # A new session key on sign-in; what was learnt without an account stays in the old session only.
    request.session.cycle_key()
    request.session.pop(SESSION_KEY, None)
    request.session[ACCOUNT_KEY] = learner_id
    request.session[FORGET_KEY] = True
