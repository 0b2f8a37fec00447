"""The public library: what the public may open, a resource's review record and notices, a withdrawn page, video
that seeks (HTTP range requests, also from S3-compatible storage), the pinned emergency releases and the library's
filters."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from storages.backends.s3 import S3File

from xinghuo.resources import services
from xinghuo.resources.models import Kind, Resource
from xinghuo.resources.tests.conftest import draft, in_second_review, published
from xinghuo.resources.tests.test_media import MP4

pytestmark = pytest.mark.django_db

VIDEO = MP4 + bytes(range(256)) * 40  # 10,336 bytes that begin like an MP4


def published_video(cast) -> Resource:
    resource = draft(cast, kind=Kind.VIDEO, body="", title="地震来了怎么办", field="earth", topics=["earth"])
    services.resource_set_media(actor=cast.contributor, resource=resource, media=SimpleUploadedFile("地震.mp4", VIDEO))
    services.resource_submit(actor=cast.contributor, resource=resource)
    services.resource_assign(actor=cast.county_a, resource=resource, reviewer=cast.expert_earth.user)
    from datetime import timedelta

    from django.utils import timezone

    services.resource_first_review(actor=cast.expert_earth, resource=resource, approve=True, evidence="应急管理部《家庭应急避险指南》",
                                   re_review_on=timezone.localdate() + timedelta(days=700))  # fmt: skip
    return services.resource_second_review(actor=cast.city, resource=resource, approve=True)


@pytest.fixture
def cast(cast):
    from tests.factories import make_staff

    from xinghuo.accounts.actor import actor_for
    from xinghuo.accounts.roles import Role

    user = make_staff("earth_expert", cast.org_b, Role.REVIEWER)
    services.reviewer_set(actor=cast.city, user=user, fields=["earth"], title="泰安市地震监测中心 高级工程师")
    cast.expert_earth = actor_for(user)
    return cast


def test_a_published_resource_shows_its_review_record(client, cast):
    resource = published(cast)

    page = client.get(f"/library/r/{resource.uid}/").content.decode()

    assert "高血压的家庭管理" in page
    assert "初审（科学性审核）" in page
    assert cast.expert.user.name in page
    assert "泰安市中心医院 主任医师" in page
    assert "医疗卫生与健康" in page
    assert "《中国高血压防治指南（2024年修订版）》" in page
    assert "复核（底线红线审核）" in page


def test_drafts_and_resources_in_review_have_no_public_page(client, cast):
    assert client.get(f"/library/r/{draft(cast).uid}/").status_code == 404
    assert client.get(f"/library/r/{in_second_review(cast).uid}/").status_code == 404


def test_a_withdrawn_resource_shows_its_notice_and_not_its_content(client, cast):
    resource = published(cast)
    services.resource_withdraw(actor=cast.city, resource=resource, reason="诊断标准已更新，待作者修订")

    response = client.get(f"/library/r/{resource.uid}/")

    text = response.content.decode()
    assert response.status_code == 200
    assert "本资源已撤回" in text
    assert "诊断标准已更新，待作者修订" in text
    assert "家庭自测血压应在安静休息五分钟后进行" not in text
    assert client.get("/library/").content.decode().count("高血压的家庭管理") == 0


def test_a_correction_and_a_rebuttal_are_shown_above_the_content(client, cast):
    resource = published(cast)
    services.resource_notice(actor=cast.city, resource=resource, kind="rebuttal", text="网传“吃芹菜能代替降压药”不实。")

    text = client.get(f"/library/r/{resource.uid}/").content.decode()

    assert "辟谣" in text
    assert text.index("吃芹菜能代替降压药") < text.index("家庭自测血压")


class TestVideoSeeks:
    """On local disk and in S3-compatible storage alike (there, only the bytes a player asks for are fetched,
    never the whole object first)."""

    @pytest.fixture(autouse=True, params=["disk", "s3"])
    def storage(self, request, monkeypatch):
        if request.param == "s3":
            request.getfixturevalue("s3")
            monkeypatch.setattr(S3File, "file", property(lambda self: pytest.fail(f"downloaded all of {self.name}")))

    def test_a_range_request_gets_206_with_exactly_those_bytes(self, client, cast):
        resource = published_video(cast)

        response = client.get(f"/library/r/{resource.uid}/media", HTTP_RANGE="bytes=100-199")

        assert response.status_code == 206
        assert response["Content-Range"] == f"bytes 100-199/{len(VIDEO)}"
        assert response["Content-Length"] == "100"
        assert b"".join(response.streaming_content) == VIDEO[100:200]

    def test_an_open_ended_and_a_suffix_range(self, client, cast):
        resource = published_video(cast)

        tail = client.get(f"/library/r/{resource.uid}/media", HTTP_RANGE="bytes=10000-")
        last = client.get(f"/library/r/{resource.uid}/media", HTTP_RANGE="bytes=-36")

        assert b"".join(tail.streaming_content) == VIDEO[10000:]
        assert b"".join(last.streaming_content) == VIDEO[-36:]

    def test_no_range_gets_the_whole_file_and_says_ranges_are_accepted(self, client, cast):
        resource = published_video(cast)

        response = client.get(f"/library/r/{resource.uid}/media")

        assert response.status_code == 200
        assert response["Accept-Ranges"] == "bytes"
        assert response["Content-Type"] == "video/mp4"
        assert b"".join(response.streaming_content) == VIDEO

    def test_a_range_beyond_the_end_is_416(self, client, cast):
        resource = published_video(cast)

        response = client.get(f"/library/r/{resource.uid}/media", HTTP_RANGE=f"bytes={len(VIDEO)}-")

        assert response.status_code == 416
        assert response["Content-Range"] == f"bytes */{len(VIDEO)}"

    def test_a_stale_if_range_gets_the_whole_file(self, client, cast):
        resource = published_video(cast)

        response = client.get(f"/library/r/{resource.uid}/media", HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"stale"')

        assert response.status_code == 200
        assert b"".join(response.streaming_content) == VIDEO

    def test_the_page_plays_it(self, client, cast):
        resource = published_video(cast)

        page = client.get(f"/library/r/{resource.uid}/").content.decode()

        assert f'<video controls preload="metadata" playsinline src="/library/r/{resource.uid}/media"' in page


def test_in_s3_storage_the_video_is_kept_in_the_bucket_without_a_public_acl(cast, s3):
    resource = published_video(cast)

    key = f"private/{resource.media.name}"
    assert s3.read(key) == VIDEO
    assert not s3.is_public(key)
    assert not (Path(settings.PRIVATE_ROOT) / resource.media.name).exists()


def test_the_media_of_an_unpublished_resource_is_not_served(client, cast):
    resource = draft(cast, kind=Kind.VIDEO, body="")
    services.resource_set_media(actor=cast.contributor, resource=resource, media=SimpleUploadedFile("v.mp4", VIDEO))

    assert client.get(f"/library/r/{resource.uid}/media").status_code == 404


def test_the_library_pins_emergency_releases_and_filters_by_audience(client, cast):
    published(cast, title="新冠病毒感染者居家护理", is_emergency=True, topics=["epidemic", "health"], audiences=["public"])
    published(cast, title="老年人防跌倒", audiences=["elderly"])

    home = client.get("/library/").content.decode()
    elderly = client.get("/library/", {"audience": "elderly"}).content.decode()

    pinned = home.split('data-testid="pinned"', 1)[1].split("</section>", 1)[0]
    assert "新冠病毒感染者居家护理" in pinned
    assert "老年人防跌倒" in elderly
    assert "新冠病毒感染者居家护理" not in elderly.split('data-testid="library"', 1)[1]


def test_the_portal_entrance_opens_the_library(client, db):
    home = client.get("/").content.decode()

    assert 'href="/library/"' in home


def test_the_portal_home_pins_emergency_releases_until_unpinned(client, cast):
    resource = published(cast, title="新冠病毒感染者居家护理", is_emergency=True, topics=["epidemic", "health"])

    home = client.get("/").content.decode()
    services.resource_pin(actor=cast.city, resource=resource, until=None)
    after = client.get("/").content.decode()

    assert "新冠病毒感染者居家护理" in home.split('data-testid="pinned"', 1)[1]
    assert 'data-testid="pinned"' not in after
