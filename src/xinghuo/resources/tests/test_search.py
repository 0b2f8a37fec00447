"""Search of the library on the database's own index (SQLite FTS5 or PostgreSQL): the committed query set, the
ranking (title hits first, recent emergency releases lifted), facets counted on the database, what the public
may find, the console's search in scope, and courses found by search."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from xinghuo.core.scoping import public_reads
from xinghuo.organisations.models import Organisation
from xinghuo.resources import selectors
from xinghuo.resources.models import Resource, ResourceStatus
from xinghuo.resources.redline import plain
from xinghuo.resources.tests.search_queries import CASES, RESOURCES

pytestmark = pytest.mark.django_db


def make(item, *, organisation: Organisation, status: str = ResourceStatus.PUBLISHED, days_ago: int = 10) -> Resource:
    published = timezone.now() - timedelta(days=days_ago)
    resource = Resource(
        title=item.title, summary=item.summary, body=f"<p>{item.body}</p>", body_text=plain(f"<p>{item.body}</p>"), kind=item.kind,
        field=item.field, author=item.author, organisation=organisation, region=organisation.region, status=status,
        published_at=published if status == ResourceStatus.PUBLISHED else None,
        review_due=timezone.localdate() + timedelta(days=300) if status == ResourceStatus.PUBLISHED else None,
        is_emergency=item.emergency,
    )  # fmt: skip
    resource.audiences, resource.topics = list(item.audiences), list(item.topics)
    resource.save()
    return resource


@pytest.fixture
def library(personas) -> dict[str, Resource]:
    return {item.key: make(item, organisation=personas.org_a if n % 2 else personas.org_b) for n, item in enumerate(RESOURCES)}


def found(query: str, **facets) -> list[str]:
    with public_reads():
        return list(selectors.library(q=query, **facets).values_list("title", flat=True))


def test_the_committed_query_set(library):
    titles = {key: r.title for key, r in library.items()}
    failures = []
    for case in CASES:
        got = set(found(case.query))
        missing = {titles[k] for k in case.finds} - got
        wrong = got & {titles[k] for k in case.not_finds}
        if missing or wrong:
            failures.append(f"{case.query!r} ({case.why}): missing {sorted(missing)}, should not find {sorted(wrong)}")
    assert failures == []


def test_a_title_hit_ranks_above_a_body_hit(library):
    assert found("高血压")[0] == "高血压的家庭管理"  # 减盐小窍门 says 高血压 only in its body


def test_a_recent_emergency_release_is_lifted_and_an_old_one_is_not(library, personas):
    from xinghuo.resources.tests.search_queries import Item

    old = make(Item("old", "预防流感小常识", "", "接种流感疫苗。", emergency=True), organisation=personas.org_a, days_ago=400)

    with public_reads():
        scores = {r.pk: (r.search_rank, r.score) for r in selectors.matching("流感")}

    recent = library["flu"]
    assert scores[recent.pk][1] == pytest.approx(selectors.EMERGENCY_BOOST * scores[recent.pk][0])
    assert scores[old.pk][1] == pytest.approx(scores[old.pk][0])
    assert found("流感")[0] == recent.title


def test_facets_count_the_results_by_kind_audience_topic_and_contributor(library, personas):
    with public_reads():
        counts = selectors.facets(selectors.library(q="高血压"))

    assert {v: n for v, _, n in counts["kind"]} == {"article": 2}
    assert {v: n for v, _, n in counts["audience"]} == {"elderly": 2, "public": 1}
    assert {name for _, name, _ in counts["organisation"]} <= {personas.org_a.name, personas.org_b.name}
    assert sum(n for _, _, n in counts["organisation"]) == 2
    assert found("高血压", audience="public") == ["减盐小窍门"]
    assert found("高血压", organisation=str(library["bp"].organisation.uid)) == ["高血压的家庭管理"]


def test_only_published_resources_are_found_by_the_public(library, personas):
    from xinghuo.resources.tests.search_queries import Item

    make(Item("draft", "高血压草稿", "", "草稿"), organisation=personas.org_a, status=ResourceStatus.DRAFT)

    assert "高血压草稿" not in found("高血压")


def test_garbage_never_raises_and_finds_nothing(library):
    for query in ('"', "高血压 AND (", "-*:", "NEAR(", "'; drop table", "！！！", "的"):
        found(query)  # no exception

    assert found("！！！") == []


def test_the_page_shows_results_facets_and_matching_courses(client, library):
    page = client.get("/library/", {"q": "高血压"}).content.decode()

    assert "找到 2 个资源" in page
    assert 'data-testid="facets"' in page
    assert "高血压的家庭管理" in page
    assert "糖尿病饮食误区" not in page.split('data-testid="library"', 1)[1]
