"""The public portal: home with entrances and news, news pages, large text, the citizen's own page."""

import pytest

from xinghuo.portal.models import NewsStatus
from xinghuo.portal.services import news_create, news_publish, news_withdraw

pytestmark = pytest.mark.django_db


@pytest.fixture
def news(personas):
    actor = personas.actor(personas.city_staff)
    published = news_publish(news=news_create(actor=actor, title="市科协召开星火科普推进会", body="会议要求……", category="work"))
    draft = news_create(actor=actor, title="尚未发布的草稿", body="……", category="notice")
    return published, draft


def test_home_is_chinese_with_entrances_and_the_latest_news(client, news):
    page = client.get("/")

    text = page.content.decode()
    assert page.status_code == 200
    assert page["Content-Language"] == "zh-hans"
    for title in ("科普云地图", "科普活动", "泰山科普云课堂", "科学素质知识竞赛"):
        assert title in text
    assert "市科协召开星火科普推进会" in text
    assert "尚未发布的草稿" not in text


def test_entrances_of_modules_not_built_yet_say_so_and_link_nowhere(client):
    text = client.get("/").content.decode()

    assert 'href="/map/" data-testid="entrance-map"' in text  # the map exists: its entrance opens
    assert 'href="/activities/" data-testid="entrance-activities"' in text  # the activity calendar exists too
    assert 'href="/library/" data-testid="entrance-classroom"' in text  # and the library
    assert 'href="/experts/" data-testid="entrance-experts"' in text  # the expert pool's published lists
    assert 'href="/practices/" data-testid="entrance-practices"' in text  # the exemplary practices
    assert text.count("建设中，即将开放") == 1  # the quiz comes later


def test_news_pages_show_published_items_only(client, news):
    published, draft = news

    assert client.get(f"/news/{published.uid}/").status_code == 200
    assert client.get(f"/news/{draft.uid}/").status_code == 404
    assert client.get("/news/not-a-uuid/").status_code == 404
    listing = client.get("/news/", {"category": "work"}).content.decode()
    assert published.title in listing


def test_a_withdrawn_item_leaves_the_portal(client, news):
    published, _ = news
    news_withdraw(news=published)

    assert client.get(f"/news/{published.uid}/").status_code == 404
    published.refresh_from_db()
    assert published.status == NewsStatus.WITHDRAWN


def test_large_text_is_remembered_on_every_page(client):
    response = client.post("/i18n/large-text/", {"next": "/news/", "on": "1"})

    assert response.status_code == 302
    assert response["Location"] == "/news/"
    assert 'class="xh-large"' in client.get("/").content.decode()
    client.post("/i18n/large-text/", {"on": "0"})
    assert 'class="xh-large"' not in client.get("/").content.decode()


def test_large_text_refuses_to_redirect_elsewhere(client):
    response = client.post("/i18n/large-text/", {"next": "https://evil.example.com/"})

    assert response["Location"] == "/"


def test_english_is_available(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en")

    assert page["Content-Language"] == "en"


def test_the_citizens_page_shows_the_phone_masked(client, login, personas):
    login(client, personas.citizen)

    text = client.get("/me/").content.decode()

    assert "139****5678" in text
    assert "13912345678" not in text


def test_staff_write_publish_and_withdraw_news_in_the_console(client, login, personas):
    login(client, personas.county_a)

    created = client.post("/console/news/new/", {"title": "泰山区科普日活动", "category": "county", "body": "正文"})
    uid = created["Location"].split("/")[-2]
    client.post(f"/console/news/{uid}/publish/")

    assert "泰山区科普日活动" in client.get("/").content.decode()
    empty = client.post("/console/news/new/", {"title": "", "category": "county", "body": ""})
    assert empty.status_code == 400
    assert "请填写标题" in empty.content.decode()
