"""The console of the resource library, through Django's test client: filing with a file, the queue of each role,
both reviews with the red-line flags shown, withdrawal and notices, the expert pool, the lexicon, the export."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xinghuo.resources.models import Resource, ResourceStatus, Reviewer
from xinghuo.resources.tests.conftest import ARTICLE, draft, in_first_review, in_second_review, published
from xinghuo.resources.tests.test_media import EXE, MP4

pytestmark = pytest.mark.django_db


def form_data(cast, **overrides):
    data = {
        "title": "认识高血压", "kind": "article", "field": "health", "organisation": str(cast.org_a.uid), "author": "李明（主任医师）",
        "summary": "高血压的诊断、家庭测量与规范服药。", "body": ARTICLE, "audiences": ["elderly"], "topics": ["health"], "licence": "granted",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_a_contributor_files_an_article_and_submits_it(client, login, cast):
    login(client, cast.contributor.user)

    response = client.post("/console/resources/new/", form_data(cast), follow=True)
    resource = Resource.unscoped.get(title="认识高血压")
    submitted = client.post(f"/console/resources/{resource.uid}/submit/", follow=True)

    assert "资源草稿已保存" in response.content.decode()
    assert "已提交审核" in submitted.content.decode()
    assert Resource.unscoped.get(pk=resource.pk).status == ResourceStatus.SUBMITTED


@pytest.mark.parametrize("page", ["new", "edit"])
def test_the_form_offers_the_editor_over_the_body_textarea(client, login, cast, page):
    login(client, cast.contributor.user)
    url = "/console/resources/new/" if page == "new" else f"/console/resources/{draft(cast).uid}/edit/"

    text = client.get(url).content.decode()

    assert '<textarea name="body"' in text
    assert "data-editor-toolbar" in text
    assert 'class="ql-header" value="2" title="二级标题"' in text
    for asset in ("vendor/quill/quill.snow.css", "resources/editor.css", "vendor/quill/quill.js", "resources/editor.js"):
        assert f'"/static/{asset}"' in text
    if page == "edit":
        assert "&lt;p&gt;高血压是最常见的慢性病之一。" in text


def test_the_resource_list_loads_no_editor(client, login, cast):
    login(client, cast.contributor.user)

    text = client.get("/console/resources/").content.decode()

    assert "quill" not in text


def test_a_video_with_a_renamed_executable_keeps_the_draft_and_asks_for_the_file_again(client, login, cast):
    login(client, cast.contributor.user)

    response = client.post("/console/resources/new/", {**form_data(cast, kind="video", body=""),
                                                      "media": SimpleUploadedFile("讲座.mp4", EXE)}, follow=True)  # fmt: skip

    text = response.content.decode()
    assert "文件未上传" in text
    assert "实际是 EXE 文件" in text
    resource = Resource.unscoped.get(title="认识高血压")
    assert not resource.media
    again = client.post(f"/console/resources/{resource.uid}/edit/", {**form_data(cast, kind="video", body=""),
                                                                    "media": SimpleUploadedFile("讲座.mp4", MP4)}, follow=True)  # fmt: skip
    assert "资源已保存" in again.content.decode()
    assert Resource.unscoped.get(pk=resource.pk).media_type == "video/mp4"


def test_an_edit_whose_file_is_refused_saves_nothing(client, login, cast):
    # given a draft video with its file
    login(client, cast.contributor.user)
    client.post("/console/resources/new/", {**form_data(cast, kind="video", body=""), "media": SimpleUploadedFile("讲座.mp4", MP4)})
    resource = Resource.unscoped.get(title="认识高血压")
    media = resource.media.name

    # when an edit changes the title and brings an executable renamed .mp4
    response = client.post(f"/console/resources/{resource.uid}/edit/", {**form_data(cast, kind="video", body="", title="新标题"),
                                                                       "media": SimpleUploadedFile("讲座.mp4", EXE)})  # fmt: skip

    # then the page says why beside the file, and neither the title nor the file changed
    assert response.status_code == 400
    assert "实际是 EXE 文件" in response.content.decode()
    stored = Resource.unscoped.get(pk=resource.pk)
    assert (stored.title, stored.media.name) == ("认识高血压", media)


def test_a_wrong_form_says_why_beside_the_field(client, login, cast):
    login(client, cast.contributor.user)

    response = client.post("/console/resources/new/", form_data(cast, title="", topics=[]))

    assert response.status_code == 400
    text = response.content.decode()
    assert "请填写标题" in text
    assert "请选择主题" in text
    assert not Resource.unscoped.exists()


def test_the_county_assigns_an_expert_of_the_field_from_the_list(client, login, cast):
    resource = draft(cast)
    from xinghuo.resources import services

    services.resource_submit(actor=cast.contributor, resource=resource)
    login(client, cast.county_a.user)

    page = client.get(f"/console/resources/{resource.uid}/").content.decode()
    response = client.post(f"/console/resources/{resource.uid}/assign/", {"reviewer": str(cast.expert.user.uid)}, follow=True)

    assert cast.expert.user.name in page
    assert cast.other_expert.user.name not in page  # agriculture: not offered for a health article
    assert f"已分配给 {cast.expert.user.name} 初审" in response.content.decode()


def test_an_expert_sees_only_their_queue_and_reviews_with_the_flags_in_view(client, login, cast):
    mine = in_first_review(cast, body=ARTICLE + "<p>有商家宣称这种茶包治百病。</p>")
    not_mine = draft(cast, title="别人的资源")
    login(client, cast.expert.user)

    queue = client.get("/console/resources/queue/").content.decode()
    page = client.get(f"/console/resources/{mine.uid}/").content.decode()
    hidden = client.get(f"/console/resources/{not_mine.uid}/")
    listing = client.get("/console/resources/")
    due = (timezone.localdate() + timedelta(days=365)).isoformat()
    done = client.post(f"/console/resources/{mine.uid}/first-review/", {"decision": "pass", "evidence": "《中国高血压防治指南》",
                                                                      "re_review_on": due}, follow=True)  # fmt: skip

    assert mine.title in queue
    assert "别人的资源" not in queue
    assert "【包治百病】" in page
    assert hidden.status_code == 404
    assert listing.status_code == 404  # the contributors' list is not an expert's page
    assert "初审通过，已送市科协复核" in done.content.decode()
    assert Resource.unscoped.get(pk=mine.pk).status == ResourceStatus.SECOND_REVIEW


def test_a_first_review_without_evidence_is_refused_beside_the_field(client, login, cast):
    resource = in_first_review(cast)
    login(client, cast.expert.user)

    response = client.post(f"/console/resources/{resource.uid}/first-review/", {"decision": "pass", "evidence": "",
                                                                               "re_review_on": "2030-01-01"})  # fmt: skip

    assert response.status_code == 400
    assert "请填写审核依据或引文" in response.content.decode()


def test_the_city_publishes_then_withdraws_with_a_reason_shown_on_the_page(client, login, cast):
    resource = in_second_review(cast)
    login(client, cast.city.user)

    published_page = client.post(f"/console/resources/{resource.uid}/second-review/", {"decision": "pass", "reason": ""}, follow=True)
    notice = client.post(f"/console/resources/{resource.uid}/notice/", {"kind": "rebuttal", "text": "网传“降压药伤肾”不实。"}, follow=True)
    withdrawn = client.post(f"/console/resources/{resource.uid}/withdraw/", {"reason": "指南更新，待修订"}, follow=True)

    assert "复核通过，资源已发布" in published_page.content.decode()
    assert "辟谣说明已发布" in notice.content.decode()
    text = withdrawn.content.decode()
    assert "资源已撤回" in text
    assert "指南更新，待修订" in text
    assert Resource.unscoped.get(pk=resource.pk).status == ResourceStatus.WITHDRAWN


def test_another_county_gets_404_and_cannot_edit(client, login, cast):
    resource = draft(cast)
    login(client, cast.county_b.user)

    assert client.get(f"/console/resources/{resource.uid}/").status_code == 404
    assert client.post(f"/console/resources/{resource.uid}/edit/", form_data(cast, title="改")).status_code == 404
    assert Resource.unscoped.get(pk=resource.pk).title == "高血压的家庭管理"


def test_the_export_lists_the_resources_in_scope(client, login, cast):
    published(cast)
    draft(cast, actor=cast.contributor_b, organisation=cast.org_b, title="岱岳区的资源")
    login(client, cast.county_a.user)

    response = client.get("/console/resources/export/")

    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    titles = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert titles == ["高血压的家庭管理"]


def test_the_city_keeps_the_expert_pool_and_the_lexicon(client, login, cast):
    login(client, cast.city.user)

    added = client.post("/console/resources/lexicon/", {"term": "量子速读", "category": "pseudoscience", "is_active": "on"}, follow=True)
    moved = client.post("/console/resources/reviewers/", {"user": cast.other_expert.user.username, "areas": ["agriculture", "life"],
                                                          "title": "山东农业大学 教授", "is_active": "on"}, follow=True)  # fmt: skip
    nobody = client.post("/console/resources/reviewers/", {"user": "nobody", "areas": ["health"], "title": "某某"})

    assert "红线词“量子速读”已启用" in added.content.decode()
    assert "列入审核专家库" in moved.content.decode()
    assert Reviewer.objects.get(user=cast.other_expert.user).fields == ["agriculture", "life"]
    assert nobody.status_code == 400
    assert "找不到该账号" in nobody.content.decode()


def test_counties_and_experts_cannot_open_the_pool_or_the_lexicon(client, login, cast):
    for actor in (cast.county_a, cast.expert):
        login(client, actor.user)
        assert client.get("/console/resources/lexicon/").status_code == 404
        assert client.get("/console/resources/reviewers/").status_code == 404
