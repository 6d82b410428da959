"""Authoring (``learning.manage``): write and translate a course, preview, publish, import, export;
assigning courses to an organisation's users (``users.manage``)."""

from __future__ import annotations

import copy
import json
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from safeguard.accounts.access import actor_for, member_of_my_organisation
from safeguard.accounts.permissions import staff_view
from safeguard.core.forms import apply_service_errors
from safeguard.core.validation import ID_MAX
from safeguard.core.widgets import DateInput
from safeguard.learning import package as course_package
from safeguard.learning import services
from safeguard.learning.access import course_for, course_to_author
from safeguard.learning.models import Audience, Course, VersionStatus
from safeguard.learning.rendering import render_markdown
from safeguard.learning.selectors import assignments_of, authored_by, courses_for

LANGUAGES = [("en", "English"), ("es", "Español"), ("fr", "Français")]


class CourseForm(forms.Form):
    slug = forms.SlugField(label=gettext_lazy("Short name (in the address)"), max_length=80)
    audience = forms.ChoiceField(label=gettext_lazy("Audience"), choices=Audience.choices)
    pass_mark = forms.IntegerField(
        label=gettext_lazy("Pass mark (%)"), min_value=1, max_value=100, initial=70
    )
    max_attempts = forms.IntegerField(
        label=gettext_lazy("Attempts allowed (0: no limit)"), min_value=0, max_value=100, initial=3
    )
    language = forms.ChoiceField(label=gettext_lazy("Language of this text"), choices=LANGUAGES)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    summary = forms.CharField(
        label=gettext_lazy("Summary"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    lessons = forms.CharField(
        label=gettext_lazy("Lessons (Markdown; start each lesson with '# Title')"),
        widget=forms.Textarea(
            attrs={
                "rows": 16,
                "hx-post": "",
                "hx-trigger": "input changed delay:600ms",
                "hx-target": "#preview",
            }
        ),
    )
    quiz = forms.CharField(
        label=gettext_lazy("Quiz ('## q1 single 2', the prompt, '- option | feedback')"),
        widget=forms.Textarea(attrs={"rows": 14}),
        required=False,
    )


def _initial(content: dict[str, Any] | None, language: str) -> dict[str, Any]:
    if content is None:
        return {"language": language}
    text = content["languages"].get(language) or {"title": "", "summary": "", "lessons": [], "questions": []}
    return {
        "slug": content["slug"], "audience": content["audience"], "pass_mark": content["pass_mark"],
        "max_attempts": content["max_attempts"], "language": language, "title": text["title"],
        "summary": text["summary"], "lessons": course_package.lessons_to_text(text["lessons"]),
        "quiz": course_package.quiz_to_text(text["questions"]) if text["questions"] else "",
    }  # fmt: skip


def _content_from(form: CourseForm, base: dict[str, Any] | None) -> dict[str, Any]:
    data = form.cleaned_data
    content: dict[str, Any] = (
        copy.deepcopy(base) if base else {"format": course_package.FORMAT, "languages": {}}
    )
    try:
        lessons = course_package.lessons_from_text(data["lessons"])
        questions = course_package.quiz_from_text(data["quiz"])
    except course_package.PackageError as error:
        raise ValidationError({"lessons": str(error)}) from error
    content.update(
        slug=data["slug"],
        audience=data["audience"],
        pass_mark=data["pass_mark"],
        max_attempts=data["max_attempts"],
    )
    content["languages"][data["language"]] = {"title": data["title"], "summary": data["summary"], "lessons": lessons, "questions": questions}  # fmt: skip
    return content


@staff_view("learning.manage")
def manage(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    return render(request, "learning/manage.html", {"courses": authored_by(actor.organisation)})


@staff_view("learning.manage")
def course_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    """Write a course, or a new draft of one, one language at a time (translating adds a language)."""
    actor = actor_for(request)
    course = course_to_author(actor, slug) if slug else None
    language = request.GET.get("lang") or request.POST.get("language") or "en"
    base = None
    if course is not None:
        version = course.versions.filter(status=VersionStatus.DRAFT).first() or course.published_version
        base = version.content if version else None
    form = CourseForm(request.POST or None, initial=_initial(base, language))
    form.fields["lessons"].widget.attrs["hx-post"] = reverse("learning:preview")
    if course is not None:
        form.fields["slug"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            content = _content_from(form, base)
            if course is None:
                course = services.course_create(actor=actor, content=content)
            else:
                services.course_draft_save(actor=actor, course=course, content=content)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Draft saved."))
            return redirect(reverse("learning:course_edit", args=[course.slug]) + f"?lang={language}")
    return render(
        request,
        "learning/course_form.html",
        {"form": form, "course": course, "language": language, "languages": LANGUAGES},
        status=400 if form.errors else 200,
    )


@staff_view("learning.manage")
@require_POST
def preview(request: HttpRequest) -> HttpResponse:
    """The lessons as learners will see them (htmx, as the author types)."""
    try:
        lessons = course_package.lessons_from_text(request.POST.get("lessons", ""))
    except course_package.PackageError as error:
        return render(request, "learning/_preview.html", {"error": str(error)})
    shown = [{"title": lesson["title"], "body": render_markdown(lesson["body"])} for lesson in lessons]
    return render(request, "learning/_preview.html", {"lessons": shown})


@staff_view("learning.manage")
@require_POST
def course_publish(request: HttpRequest, slug: str) -> HttpResponse:
    actor = actor_for(request)
    course = course_to_author(actor, slug)
    try:
        services.course_publish(
            actor=actor, course=course, to_everyone=request.POST.get("to_everyone") == "1"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Course published."))
    return redirect("learning:manage")


@staff_view("learning.manage")
def course_export(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    actor = actor_for(request)
    course = course_to_author(actor, slug)
    version = course.versions.filter(status=VersionStatus.DRAFT).first() or course.published_version
    assert version is not None
    package = services.course_export(version)
    if kind == "zip":
        response = HttpResponse(course_package.write_zip(package), content_type="application/zip")
    else:
        response = HttpResponse(
            json.dumps(package, ensure_ascii=False, indent=1), content_type="application/json"
        )
    response["Content-Disposition"] = (
        f'attachment; filename="{course.slug}.{"zip" if kind == "zip" else "json"}"'
    )
    return response


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Course file (.json or .zip)"))


@staff_view("learning.manage")
def course_import(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            course = services.course_import(actor=actor, name=upload.name, data=upload.read())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Course imported as a draft."))
            return redirect("learning:course_edit", slug=course.slug)
    return render(request, "learning/import.html", {"form": form}, status=400 if form.errors else 200)


class AssignmentForm(forms.Form):
    user = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=ID_MAX)
    course = forms.CharField(widget=forms.HiddenInput)
    due_on = forms.DateField(label=gettext_lazy("Due date"), widget=DateInput())


@staff_view("users.manage")
def assignments(request: HttpRequest) -> HttpResponse:
    """Assign a course to a member with a due date, and see who completed theirs."""
    actor = actor_for(request)
    form = AssignmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = member_of_my_organisation(actor, form.cleaned_data["user"])
        course: Course = course_for(actor, form.cleaned_data["course"])
        services.assignment_create(actor=actor, user=user, course=course, due_on=form.cleaned_data["due_on"])
        messages.success(request, _("Course assigned."))
        return redirect("learning:assignments")
    from safeguard.accounts.models import User

    members = (
        User.objects.filter(memberships__organisation=actor.organisation, is_active=True)
        .distinct()
        .order_by("name")
    )
    return render(
        request,
        "learning/assignments.html",
        {
            "rows": assignments_of(actor.organisation),
            "members": members,
            "courses": courses_for(actor.organisation),
            "form": form,
        },
        status=400 if form.errors else 200,
    )
