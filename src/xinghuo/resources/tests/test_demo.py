"""The demo's library: made through the services, with a resource at every step, review records, a withdrawn one
with its notice, a pinned emergency release, published courses and learners; idempotent; a tenth of the bulk
keeps the same shape as the city scale's."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from xinghuo.accounts.actor import actor_for
from xinghuo.accounts.models import User
from xinghuo.core.demo import DemoContext
from xinghuo.resources import demo as resources_demo
from xinghuo.resources.models import (
    Course,
    CourseCompletion,
    CourseStatus,
    Field,
    Notice,
    NoticeKind,
    Resource,
    ResourceStatus,
    Review,
    Reviewer,
)

pytestmark = pytest.mark.django_db


def test_the_small_demo_library_then_a_tenth_of_the_citys_bulk(db):
    """One seeding for every check (seed_demo takes a while): the small demo's shape, idempotence, then the bulk."""
    call_command("seed_demo", "--scale", "small", "--seed", "7", "--quiet")

    # a resource at every step, each published one with both passing reviews and a re-review date
    assert set(Resource.unscoped.values_list("status", flat=True)) == set(ResourceStatus.values)
    for resource in Resource.unscoped.filter(status=ResourceStatus.PUBLISHED):
        assert set(Review.unscoped.filter(resource=resource, verdict="pass").values_list("stage", flat=True)) == {"first", "second"}
        assert resource.review_due is not None
    assert Notice.objects.filter(kind=NoticeKind.WITHDRAWAL, resource__status=ResourceStatus.WITHDRAWN).exists()
    assert Notice.objects.filter(kind=NoticeKind.REBUTTAL).exists()
    assert Resource.unscoped.filter(is_emergency=True, pinned_until__isnull=False).exists()
    # the expert pool covers every field; courses are published and some learners finished
    assert {f for r in Reviewer.objects.filter(is_active=True) for f in r.fields} == set(Field.values)
    assert Course.unscoped.filter(status=CourseStatus.PUBLISHED).count() == 2
    assert CourseCompletion.objects.exists()

    counts = (Resource.unscoped.count(), Course.unscoped.count())
    call_command("seed_demo", "--scale", "small", "--seed", "7", "--quiet")
    assert (Resource.unscoped.count(), Course.unscoped.count()) == counts

    experts = {username: actor_for(User.objects.get(username=username)) for username, *_ in resources_demo.EXPERTS}
    rows = resources_demo._in_bulk(DemoContext(scale="city", seed=7), experts, 300)

    bulk = Resource.unscoped.filter(pk__in=[r.pk for r in rows])
    assert bulk.count() == 300
    assert set(bulk.values_list("status", flat=True)) == {ResourceStatus.PUBLISHED}
    assert Review.unscoped.filter(resource__in=bulk).count() == 600
    assert len(set(bulk.values_list("field", flat=True))) >= 8
    assert len(set(bulk.values_list("kind", flat=True))) >= 5
