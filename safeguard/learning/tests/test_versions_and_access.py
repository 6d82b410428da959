"""Versioning, authoring permissions, and one organisation's course invisible to another."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safeguard.core.models import AuditEvent
from safeguard.learning import services
from safeguard.learning.access import course_for
from safeguard.learning.models import Course, CourseVersion, Enrolment, Visibility
from safeguard.learning.tests.conftest import small_course
from safeguard.testing.fixtures import actor_of

pytestmark = pytest.mark.django_db


def published(alice: Any, org_a: Any, title: str = "Alpha course") -> Course:
    actor = actor_of(alice, org_a)
    course = services.course_create(actor=actor, content=small_course(title=title))
    services.course_publish(actor=actor, course=course)
    return course


def test_an_edit_makes_a_new_draft_and_learners_keep_the_version_they_started(
    alice: Any, org_a: Any, bob: Any
) -> None:
    actor = actor_of(alice, org_a)
    course = published(alice, org_a)
    v1 = course.published_version
    assert v1 is not None and (v1.number, v1.status) == (1, "published")
    enrolment = services.enrolment_start(actor=actor_of(bob, org_a), course=course, language="en")

    draft = services.course_draft_save(
        actor=actor, course=course, content=small_course(title="Alpha, revised")
    )
    assert (draft.number, draft.status) == (2, "draft")
    again = services.course_draft_save(
        actor=actor, course=course, content=small_course(title="Alpha, revised twice")
    )
    assert again.pk == draft.pk  # one draft at a time, edited in place
    v1.refresh_from_db()
    assert v1.content["languages"]["en"]["title"] == "Alpha course"  # the published version is frozen

    services.course_publish(actor=actor, course=course)
    course.refresh_from_db()
    assert course.published_version_id == draft.pk
    enrolment.refresh_from_db()
    assert enrolment.version_id == v1.pk
    assert (
        services.enrolment_start(actor=actor_of(bob, org_a), course=course, language="en").version_id == v1.pk
    )
    assert list(course.versions.values_list("number", "status")) == [(1, "published"), (2, "published")]


def test_another_organisations_private_course_is_not_found(
    alice: Any, org_a: Any, charlie: Any, org_b: Any
) -> None:
    course = published(alice, org_a)
    assert course_for(actor_of(alice, org_a), course.slug) == course
    with pytest.raises(Exception, match="course") as caught:
        course_for(actor_of(charlie, org_b), course.slug)
    assert type(caught.value).__name__ == "Http404"


def test_authoring_another_organisations_course_is_denied_and_writes_nothing(
    alice: Any, org_a: Any, charlie: Any, org_b: Any, bob: Any
) -> None:
    course = published(alice, org_a)
    versions, events = CourseVersion.objects.count(), AuditEvent.objects.count()
    with pytest.raises(PermissionDenied, match="course of another organisation"):
        services.course_draft_save(
            actor=actor_of(charlie, org_b), course=course, content=small_course(title="Hijacked")
        )
    with pytest.raises(PermissionDenied, match="course of another organisation"):
        services.course_publish(actor=actor_of(charlie, org_b), course=course)
    with pytest.raises(PermissionDenied, match=r"learning\.manage"):
        services.course_draft_save(
            actor=actor_of(bob, org_a), course=course, content=small_course(title="Operator")
        )
    with pytest.raises(PermissionDenied, match=r"learning\.manage"):
        services.course_create(actor=actor_of(bob, org_a), content=small_course(slug="bobs-course"))
    assert (CourseVersion.objects.count(), AuditEvent.objects.count()) == (versions, events)
    assert not Course.objects.filter(slug="bobs-course").exists()


def test_public_needs_a_platform_admins_approval(alice: Any, org_a: Any, charlie: Any, org_b: Any) -> None:
    actor = actor_of(alice, org_a)
    course = services.course_create(actor=actor, content=small_course())
    services.course_publish(actor=actor, course=course, to_everyone=True)
    course.refresh_from_db()
    assert course.visibility == Visibility.PROPOSED
    assert course not in Course.objects.visible_to(org_b)
    with pytest.raises(PermissionDenied, match="platform administrators only"):
        services.course_approve_public(user=charlie, course=course)
    charlie.is_platform_admin = True
    charlie.save(update_fields=["is_platform_admin"])
    services.course_approve_public(user=charlie, course=course)
    assert list(Course.objects.visible_to(org_b)) == [course]


def test_export_then_import_as_zip_and_json_round_trips(
    alice: Any, org_a: Any, charlie: Any, org_b: Any
) -> None:
    import json

    from safeguard.learning.package import write_zip

    course = published(alice, org_a)
    assert course.published_version is not None
    exported = services.course_export(course.published_version)
    exported["slug"] = "beta-copy"
    imported = services.course_import(actor=actor_of(charlie, org_b), name="c.zip", data=write_zip(exported))
    assert imported.organisation == org_b
    assert imported.versions.get().content == exported
    exported["slug"] = "beta-json"
    as_json = services.course_import(
        actor=actor_of(charlie, org_b), name="c.json", data=json.dumps(exported).encode()
    )
    assert as_json.versions.get().content == exported
    with pytest.raises(ValidationError, match="format must be"):
        services.course_import(actor=actor_of(charlie, org_b), name="c.json", data=b'{"slug": "x"}')
    # Importing over another organisation's course is refused like any edit of it.
    exported["slug"] = course.slug
    with pytest.raises(PermissionDenied, match="course of another organisation"):
        services.course_import(
            actor=actor_of(charlie, org_b), name="c.json", data=json.dumps(exported).encode()
        )
    assert Enrolment.objects.count() == 0
