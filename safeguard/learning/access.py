"""Fetching courses and certificates *for a user*: anything outside their reach is "not found"."""

from __future__ import annotations

from django.http import Http404

from safeguard.accounts.access import Actor
from safeguard.learning.models import Course


def public_course(slug: str) -> Course:
    """A published course open to everyone (no account needed)."""
    course = Course.objects.public().select_related("published_version").filter(slug=slug).first()
    if course is None:
        raise Http404("course")
    return course


def course_for(actor: Actor, slug: str) -> Course:
    """A published course the actor's organisation may take: public ones and its own."""
    course = (
        Course.objects.visible_to(actor.organisation)
        .select_related("published_version")
        .filter(slug=slug)
        .first()
    )
    if course is None:
        raise Http404("course")
    return course


def course_to_author(actor: Actor, slug: str) -> Course:
    """A course of the actor's organisation, for those who write courses."""
    actor.require("learning.manage")
    course = Course.objects.filter(slug=slug, organisation=actor.organisation).first()
    if actor.organisation is None or course is None:
        raise Http404("course")
    return course
