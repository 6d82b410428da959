"""Learner pages: open to everyone, no account needed; staff learners keep their progress."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from safeguard.accounts.access import actor_for
from safeguard.directory.models import Hotline
from safeguard.learning import progress as learner
from safeguard.learning.access import course_for, public_course
from safeguard.learning.models import Audience, Certificate, Course
from safeguard.learning.rendering import render_markdown
from safeguard.learning.scoring import AnswerError, QuizResult
from safeguard.learning.selectors import public_courses

SERVICE_WORKER = Path(__file__).resolve().parent / "static" / "learning" / "sw.js"


def _language(request: HttpRequest) -> str:
    return request.GET.get("lang") or (get_language() or "en")[:2]


def _course(request: HttpRequest, slug: str) -> Course:
    if learner.is_staff_learner(request):
        return course_for(actor_for(request), slug)
    return public_course(slug)


def _progress(request: HttpRequest, slug: str) -> learner.Progress:
    course = _course(request, slug)
    progress = learner.progress_for(request, course, _language(request))
    if "lang" in request.GET:
        learner.switch_language(request, progress, request.GET["lang"])
    return progress


def _offline(request: HttpRequest, progress: learner.Progress) -> dict[str, Any] | None:
    """What the service worker keeps for offline use: a public learner's pages of this course.

    Staff learners' pages name them, so they are never offered offline.
    """
    if learner.is_staff_learner(request):
        return None
    slug = progress.course.slug
    lessons = [
        reverse("learning:lesson", args=[slug, n]) for n in range(1, len(progress.content["lessons"]) + 1)
    ]
    return {
        "urls": [reverse("learning:course", args=[slug]), *lessons, reverse("learning:quiz", args=[slug])]
    }


def _learner_page(
    request: HttpRequest,
    template: str,
    progress: learner.Progress,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    offline = _offline(request, progress)
    response = render(
        request,
        template,
        {"progress": progress, "content": progress.content, "offline": offline, **context},
        status=status,
    )
    if offline is not None:
        response["X-Safeguard-Offline"] = "1"
    return response


def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, served from /learn/ so that it may control the learner pages."""
    response = HttpResponse(SERVICE_WORKER.read_bytes(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: the courses can be installed on a phone's home screen."""
    body = {
        "name": _("Safeguard: learn the signs"),
        "short_name": _("Learn the signs"),
        "start_url": reverse("learning:courses"),
        "scope": reverse("learning:courses"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1b6ca8",
        "lang": get_language() or "en",
        "icons": [
            {"src": static("learning/icon.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any"}
        ],
    }
    response = JsonResponse(body, content_type="application/manifest+json")
    return response


def course_list(request: HttpRequest) -> HttpResponse:
    """Every public course, grouped by audience, in the reader's language where there is one."""
    language = _language(request)
    groups = []
    for audience, label in Audience.choices:
        courses = []
        for course in public_courses(audience=audience):
            assert course.published_version is not None
            content = course.published_version.language(language)
            courses.append({"course": course, "title": content["title"], "summary": content["summary"], "lessons": len(content["lessons"])})  # fmt: skip
        groups.append({"audience": audience, "label": label, "courses": courses})
    return render(request, "learning/course_list.html", {"groups": groups})


def course_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return _learner_page(request, "learning/course_detail.html", _progress(request, slug), {})


def lesson(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    progress = _progress(request, slug)
    lessons = progress.content["lessons"]
    if not 1 <= number <= len(lessons):
        raise Http404("lesson")
    if "X-Safeguard-Precache" not in request.headers:  # kept for offline use, not read yet
        learner.lesson_done(request, progress, number)
    return _learner_page(
        request,
        "learning/lesson.html",
        progress,
        {
            "number": number,
            "lesson": lessons[number - 1],
            "body": render_markdown(lessons[number - 1]["body"]),
            "previous": number - 1 if number > 1 else None,
            "next": number + 1 if number < len(lessons) else None,
        },
    )


def _questions_for_form(
    questions: list[dict[str, Any]], answers: dict[str, list[str]], seed: str
) -> list[dict[str, Any]]:
    """Questions with the learner's current choices; ordering items are shown shuffled (stably)."""
    shown = []
    for question in questions:
        options = list(question["options"])
        if question["type"] == "ordering":
            rng = random.Random(f"{seed}:{question['id']}")
            while len(options) > 1 and options == question["options"]:
                rng.shuffle(options)
        chosen = answers.get(question["id"], [])
        shown.append(
            {
                "question": question,
                "field": f"q_{question['id']}",
                "options": [
                    {
                        "option": option,
                        "checked": option["id"] in chosen,
                        "position": chosen.index(option["id"]) + 1 if option["id"] in chosen else None,
                    }
                    for option in options
                ],
                "positions": list(range(1, len(options) + 1)),
            }
        )
    return shown


def _answers_from(post: Any, questions: list[dict[str, Any]]) -> dict[str, list[str]]:
    answers: dict[str, list[str]] = {}
    for question in questions:
        field = f"q_{question['id']}"
        if question["type"] == "ordering":
            placed: dict[int, str] = {}
            for option in question["options"]:
                raw = post.get(f"{field}_{option['id']}", "")
                if raw.isdigit():
                    if int(raw) in placed:
                        raise AnswerError(_("Give each item a different place."))
                    placed[int(raw)] = option["id"]
            if placed:
                answers[question["id"]] = [placed[position] for position in sorted(placed)]
        else:
            answers[question["id"]] = post.getlist(field)
    return answers


@require_http_methods(["GET", "POST"])
def quiz(request: HttpRequest, slug: str) -> HttpResponse:
    progress = _progress(request, slug)
    questions = progress.content["questions"]
    answers: dict[str, list[str]] = {}
    result: QuizResult | None = None
    certificate: Certificate | None = None
    error = ""
    if request.method == "POST":
        if not progress.can_attempt:
            error = _("No attempts are left for this quiz.")
        else:
            try:
                answers = _answers_from(request.POST, questions)
                result, certificate = learner.submit(request, progress, answers)
            except (AnswerError, ValidationError) as problem:
                error = problem.messages[0] if isinstance(problem, ValidationError) else str(problem)
    results = {r.question_id: r for r in result.results} if result else {}
    shown = _questions_for_form(questions, answers, seed=str(progress.version.pk))
    for item in shown:
        item["result"] = results.get(item["question"]["id"])
    return _learner_page(
        request,
        "learning/quiz.html",
        progress,
        {
            "questions": shown,
            "result": result,
            "percent": round(float(result.percent), 1) if result else None,
            "certificate": certificate,
            "error": error,
        },
        status=400 if error else 200,
    )


def hotlines(request: HttpRequest) -> HttpResponse:
    """The public numbers, by country: emergency, child helplines, anti-trafficking hotlines."""
    country = request.GET.get("country", "").upper()[:2]
    rows = Hotline.objects.filter(is_active=True)
    if country:
        rows = rows.filter(country=country)
    return render(request, "learning/hotlines.html", {"hotlines": rows, "country": country})


def learn_the_signs(request: HttpRequest, audience: str) -> HttpResponse:
    """A short public page per audience: the first lesson of its course, a leaflet and a share link."""
    course, content = _signs_course(request, audience)
    first = content["lessons"][0]
    share = request.build_absolute_uri(reverse("learning:signs", args=[audience]))
    return render(
        request,
        "learning/signs.html",
        {
            "course": course,
            "content": content,
            "lesson": first,
            "body": render_markdown(first["body"]),
            "audience": audience,
            "share_url": share,
            "language": _language(request),
        },
    )


def leaflet(request: HttpRequest, audience: str) -> HttpResponse:
    from safeguard.learning.pdfs import leaflet_pdf

    course, content = _signs_course(request, audience)
    pdf = leaflet_pdf(
        title=content["title"],
        lesson=content["lessons"][0],
        report_url=request.build_absolute_uri("/report/"),
        hotlines_url=request.build_absolute_uri(reverse("learning:hotlines")),
        course_url=request.build_absolute_uri(reverse("learning:course", args=[course.slug])),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="learn-the-signs-{audience}.pdf"'
    return response


def _signs_course(request: HttpRequest, audience: str) -> tuple[Course, dict[str, Any]]:
    if audience not in Audience.values:
        raise Http404("audience")
    courses = public_courses(audience=audience)
    if not courses:
        raise Http404("course")
    course = next((c for c in courses if c.organisation_id is None), courses[0])
    assert course.published_version is not None
    return course, course.published_version.language(_language(request))


def start_over(request: HttpRequest, slug: str) -> HttpResponse:
    """Forget a public learner's progress in one course (a POST from the course page)."""
    if request.method == "POST" and not learner.is_staff_learner(request):
        store = request.session.get(learner.SESSION_KEY, {})
        store.pop(slug, None)
        request.session[learner.SESSION_KEY] = store
    return redirect("learning:course", slug=slug)
