"""Issue 5's articles as rich text on a real browser: a contributor writes a heading, a bold word and a list in the
resource form's editor, saves the draft, and its page shows them as HTML — with no Content-Security-Policy
violation on the way. A body the editor cannot hold is left in the textarea."""

import re

import pytest

from tests.browser.conftest import screenshot
from tests.factories import make_staff
from xinghuo.accounts.actor import actor_for
from xinghuo.accounts.roles import Role
from xinghuo.core.scoping import scope
from xinghuo.organisations.models import Organisation
from xinghuo.resources import services
from xinghuo.resources.models import Resource

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_contributor_writes_an_article_in_the_editor_and_its_page_shows_the_formatting(staff_page, live_server):
    contributor = make_staff("editor_contributor", Organisation.unscoped.get(code="KX370902"), Role.COUNTY_STAFF)
    page = staff_page(contributor)
    console, errors = [], []
    page.on("console", lambda message: console.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))

    # Given the resource form with the editor in place of the body's textarea
    page.goto(live_server.url + "/console/resources/new/")
    page.get_by_role("textbox", name="标题", exact=True).fill("冬季防流感")
    page.get_by_label("图文").check()
    page.get_by_label("学科领域").select_option(label="医疗卫生与健康")
    page.get_by_label("作者或主讲人").fill("陈静（主管医师）")
    page.get_by_label("摘要").fill("流感季的三件事。")
    page.get_by_label("生命健康").check()
    assert page.locator("textarea[name=body]").is_hidden()

    # When the contributor writes a heading, a sentence with a bold word and a list, and saves
    editor = page.get_by_role("textbox", name="正文")
    editor.click()
    page.get_by_role("button", name="二级标题").click()
    editor.press_sequentially("认识流感")
    editor.press("Enter")
    editor.press_sequentially("接种疫苗是预防流感")
    page.get_by_role("button", name="加粗").click()
    editor.press_sequentially("最有效")
    page.get_by_role("button", name="加粗").click()
    editor.press_sequentially("的手段 and it works.")
    editor.press("Enter")
    page.get_by_role("button", name="项目列表").click()
    editor.press_sequentially("勤洗手")
    editor.press("Enter")
    editor.press_sequentially("常通风")
    screenshot(page, "resource-editor")
    page.get_by_role("button", name="保存草稿").click()

    # Then the resource's page shows them as HTML, and the browser reported no CSP violation nor error
    page.wait_for_url(re.compile(r"/console/resources/[0-9a-f-]+/$"))
    body = page.get_by_test_id("body")
    assert body.get_by_role("heading", level=2, name="认识流感", exact=True).is_visible()
    assert body.locator("strong").inner_text() == "最有效"
    assert body.locator("ul > li").all_inner_texts() == ["勤洗手", "常通风"]
    stored = Resource.unscoped.get(title="冬季防流感").body
    assert "<p>接种疫苗是预防流感<strong>最有效</strong>的手段 and it works.</p>" in stored
    assert [m for m in console if "Content Security Policy" in m] == []
    assert errors == []


def test_a_body_with_a_table_is_left_in_the_textarea_for_the_editor_would_drop_it(staff_page, live_server):
    organisation = Organisation.unscoped.get(code="KX370902")
    contributor = make_staff("editor_table", organisation, Role.COUNTY_STAFF)
    actor = actor_for(contributor)
    with scope(**actor.scope_kwargs()):
        resource = services.resource_create(actor=actor, organisation=organisation, title="血压分级", kind="article", field="health",
                                            summary="血压分级表。", author="陈静", body="<table><tr><td>正常</td><td>&lt;120</td></tr></table>",
                                            audiences=["public"], topics=["health"])  # fmt: skip
    page = staff_page(contributor)

    page.goto(live_server.url + f"/console/resources/{resource.uid}/edit/")

    assert page.get_by_role("textbox", name="正文").input_value().startswith("<table>")
    assert page.get_by_text("正文含有表格、图注或分隔线").is_visible()
    assert page.get_by_role("toolbar", name="正文格式").is_hidden()
