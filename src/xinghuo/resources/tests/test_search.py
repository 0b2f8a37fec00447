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


def listed(q: str, **kwargs) -> list[str]:
    with public_reads():
        return [r.title for r in selectors.Found(q, **kwargs)[0:50]]


def test_the_page_lists_title_and_summary_hits_by_rank_then_body_only_hits_newest_first(personas):
    from xinghuo.resources.tests.search_queries import Item

    org = personas.org_a
    make(Item("b-old", "家庭急救箱", "常备药品清单。", "台风来临前要检查急救箱。"), organisation=org, days_ago=300)
    make(Item("b-new", "雨季出行提示", "注意路面积水。", "台风天尽量不要出门。"), organisation=org, days_ago=1)
    make(Item("t-old", "台风来了怎么办", "躲避台风的要点。", "关好门窗。"), organisation=org, days_ago=500)
    make(Item("s-new", "海边游玩安全", "台风季节不要下海。", "听从景区安排。"), organisation=org, days_ago=2)
    make(Item("author", "气象知识问答", "天气预报怎么看。", "云和雨。", author="王芳（市台风研究所工程师）"), organisation=org, days_ago=3)

    assert listed("台风") == ["台风来了怎么办", "海边游玩安全", "雨季出行提示", "气象知识问答", "家庭急救箱"]
    with public_reads():
        found = selectors.Found("台风")
        assert found.count() == 5
        assert not found.capped
        # a page that starts in the first tier and ends in the second, and one wholly in the second
        assert [r.title for r in found[1:3]] == ["海边游玩安全", "雨季出行提示"]
        assert [r.title for r in found[3:10]] == ["气象知识问答", "家庭急救箱"]
        assert found[5:10] == []


def test_a_search_that_matches_more_than_it_lists_says_so(personas, client):
    from xinghuo.resources.tests.search_queries import Item

    for n in range(4):
        make(Item(f"q{n}", f"防震演练第{n}课", "", "地震来了先躲避。"), organisation=personas.org_a, days_ago=n + 1)

    with public_reads():
        found = selectors.Found("防震", limit=3)
        assert found.count() == 3
        assert found.capped
        assert [r.title for r in found[0:20]] == ["防震演练第0课", "防震演练第1课", "防震演练第2课"]
        exact = selectors.Found("防震", limit=4)
        assert exact.count() == 4
        assert not exact.capped

    page = client.get("/library/", {"q": "防震"}).content.decode()
    assert "找到 4 个资源" in page


def test_the_page_says_more_than_when_the_search_is_capped(personas, client, monkeypatch):
    from xinghuo.resources.tests.search_queries import Item

    monkeypatch.setattr(selectors, "SEARCH_LISTED", 2)
    for n in range(3):
        make(Item(f"q{n}", f"防震演练第{n}课", "", "躲避。"), organisation=personas.org_a, days_ago=n + 1)

    page = client.get("/library/", {"q": "防震"}).content.decode()

    assert "找到超过 2 个资源" in page
    assert page.count("防震演练第") == 2
