"""The pages of the expert pool as staff and the public use them, and what an outsider gets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from xinghuo.experts import services
from xinghuo.experts.models import Nomination, NominationStatus, Objection, SelectionStatus
from xinghuo.experts.tests.conftest import DAIYUE, person
from xinghuo.talent.tests.conftest import png

pytestmark = pytest.mark.django_db

REASONS = "长期深入乡村开展农业科普讲座，群众反响好"


def _published(cast, selection, *people):
    """The selection walked to its published list, its notice having started long enough ago to be over."""
    for p in people:
        n = services.nomination_create(actor=cast.county_a, selection=selection, person=p, reasons=REASONS)
        services.nomination_review(actor=cast.city, nomination=n, decision="shortlist", note="拟列入")
    today = timezone.localdate()
    services.selection_start_notice(actor=cast.city, selection=selection, today=today - timedelta(days=20))
    return services.selection_publish(actor=cast.city, selection=selection, today=today)


def test_the_public_list_shows_names_organisations_titles_and_photos_but_never_a_phone_or_id(client, cast, selection):
    expert = person(cast, name="王名家", title="推广研究员", photo=png())
    services.expert_profile_save(actor=cast.county_a, person=expert, topics="小麦病虫害防治，果树修剪", bio="从事农业技术推广三十年")
    _published(cast, selection, expert)

    page = client.get("/experts/").content.decode()
    photo = client.get(f"/experts/photo/{Nomination.unscoped.get().uid}/")

    assert "王名家" in page
    assert "推广研究员" in page
    assert "小麦病虫害防治、果树修剪" in page
    assert "农业" in page
    assert expert.phone not in page
    assert expert.phone_shown not in page
    assert expert.id_number not in page
    assert expert.id_number_shown not in page
    assert f'href="/experts/{selection.year}/"' in page  # the years listed
    assert photo.status_code == 200
    assert b"".join(photo.streaming_content)
    photo.close()


def test_a_year_without_a_published_list_and_a_photo_of_someone_not_listed_are_not_found(client, cast, selection):
    nomination = services.nomination_create(actor=cast.county_a, selection=selection, person=person(cast, photo=png()), reasons=REASONS)

    assert client.get("/experts/2021/").status_code == 404
    assert client.get(f"/experts/photo/{nomination.uid}/").status_code == 404


def test_anyone_objects_during_the_notice_without_an_account_and_the_city_answers(client, login, personas, cast, selection):
    n = services.nomination_create(actor=cast.county_a, selection=selection, person=person(cast, name="王名家"), reasons=REASONS)
    services.nomination_review(actor=cast.city, nomination=n, decision="shortlist", note="拟列入")
    services.selection_start_notice(actor=cast.city, selection=selection)

    notice = client.get("/experts/notice/").content.decode()
    bad = client.post(f"/experts/notice/{n.uid}/objection/", {"name": "", "contact": "", "reason": "其推荐材料中的获奖情况与事实不符"})
    good = client.post(
        f"/experts/notice/{n.uid}/objection/", {"name": "", "contact": "13900001111", "reason": "其推荐材料中的获奖情况与事实不符"}
    )

    assert "王名家" in notice
    assert bad.status_code == 400
    assert "联系电话或电子邮箱" in bad.content.decode()
    assert good.status_code == 302
    objection = Objection.unscoped.get()
    login(client, personas.city_staff)
    detail = client.get(f"/console/experts/nominations/{n.uid}/").content.decode()
    assert "139****1111" in detail
    assert "13900001111" not in detail
    client.post(f"/console/experts/nominations/{n.uid}/objections/{objection.uid}/answer/",
                {f"{objection.uid}-answer": "经核实属实", f"{objection.uid}-upheld": "1"})  # fmt: skip
    n.refresh_from_db()
    assert n.status == NominationStatus.WITHDRAWN
    assert "王名家" not in client.get("/experts/notice/").content.decode()


def test_publishing_early_is_refused_on_the_page_in_chinese(client, login, personas, cast, selection):
    n = services.nomination_create(actor=cast.county_a, selection=selection, person=person(cast), reasons=REASONS)
    services.nomination_review(actor=cast.city, nomination=n, decision="shortlist", note="拟列入")
    services.selection_start_notice(actor=cast.city, selection=selection)
    login(client, personas.city_staff)

    page = client.post(f"/console/experts/selections/{selection.uid}/publish/", follow=True).content.decode()

    assert "期满后才能公布名单" in page
    selection.refresh_from_db()
    assert selection.status == SelectionStatus.IN_NOTICE


def test_county_b_gets_404_on_county_a_s_nomination(client, login, personas, cast, selection):
    n = services.nomination_create(actor=cast.county_a, selection=selection, person=person(cast, name="王名家"), reasons=REASONS)
    login(client, personas.county_b)

    assert client.get(f"/console/experts/nominations/{n.uid}/").status_code == 404
    assert client.post(f"/console/experts/nominations/{n.uid}/withdraw/").status_code == 404
    assert "王名家" not in client.get(f"/console/experts/selections/{selection.uid}/").content.decode()


def test_a_county_nominates_through_the_page_and_the_selection_shows_progress(client, login, personas, cast, selection):
    mine = person(cast, name="王名家")
    theirs = person(cast, name="岱岳专家", county=DAIYUE)
    login(client, personas.county_a)

    form = client.get(f"/console/experts/selections/{selection.uid}/nominate/").content.decode()
    refused = client.post(f"/console/experts/selections/{selection.uid}/nominate/", {"person": theirs.uid, "reasons": REASONS})
    done = client.post(f"/console/experts/selections/{selection.uid}/nominate/", {"person": mine.uid, "reasons": REASONS})

    assert "王名家" in form
    assert "岱岳专家" not in form
    assert refused.status_code == 400
    assert done.status_code == 302
    page = client.get(f"/console/experts/selections/{selection.uid}/").content.decode()
    assert "已公布 0 名 / 目标 10 名" in page
    assert "王名家" in page


def test_the_city_opens_a_selection_and_reviews_with_a_note(client, login, personas, cast):
    login(client, personas.city_staff)
    year = timezone.localdate().year

    opened = client.post("/console/experts/open/", {"year": year, "kind": "influencer", "notice_days": 4})
    assert opened.status_code == 400
    assert "不少于 5 个工作日" in opened.content.decode()
    assert client.post("/console/experts/open/", {"year": year, "kind": "influencer", "notice_days": 5}).status_code == 302


def test_staff_keep_an_expert_s_profile_and_a_studio(client, login, personas, cast):
    from xinghuo.organisations.models import Organisation
    from xinghuo.regions.models import Region
    from xinghuo.venues.services import venue_create

    expert = person(cast, name="王名家")
    venue = venue_create(operator=Organisation.unscoped.get(code="KX370902"), region=Region.objects.get(code="370902001"),
                         name="泰山区科技馆", venue_type="education_base", address="泰山区某路", lat=36.2, lon=117.1)  # fmt: skip
    login(client, personas.county_a)

    saved = client.post(f"/console/experts/pool/{expert.uid}/", {"topics": "慢病管理、合理膳食", "bio": "三甲医院主任医师"})
    created = client.post("/console/experts/studios/", {"name": "王名家农业科普工作室", "venue": venue.uid, "description": ""})
    studio_url = created["Location"]
    joined = client.post(studio_url, {"person": expert.uid, "is_lead": "on"})

    assert saved.status_code == 302
    assert created.status_code == 302
    assert joined.status_code == 302
    assert "慢病管理、合理膳食" in client.get("/console/experts/pool/").content.decode()
    assert "领衔专家" in client.get(studio_url).content.decode()


def test_the_public_list_and_the_selection_page_take_as_many_queries_for_many_people_as_for_few(client, login, personas, cast):
    year = timezone.localdate().year
    few = _published(cast, services.selection_open(actor=cast.city, year=year - 1, kind="chief"), *(person(cast) for _ in range(2)))
    many = _published(cast, services.selection_open(actor=cast.city, year=year, kind="chief"), *(person(cast) for _ in range(6)))

    def queries(path: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    assert queries(f"/experts/{year - 1}/") == queries(f"/experts/{year}/")
    login(client, personas.city_staff)
    assert queries(f"/console/experts/selections/{few.uid}/") == queries(f"/console/experts/selections/{many.uid}/")


def test_the_nominations_export_to_excel_in_the_actor_s_scope(client, login, personas, cast, selection):
    import io

    import openpyxl

    services.nomination_create(actor=cast.county_a, selection=selection, person=person(cast, name="王名家"), reasons=REASONS)
    services.nomination_create(
        actor=cast.county_b, selection=selection, person=person(cast, name="岱岳名家", county=DAIYUE), reasons=REASONS
    )

    def names(persona) -> set[str]:
        login(client, persona)
        response = client.get(f"/console/experts/selections/{selection.uid}/export/")
        sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        return {row[0] for row in list(sheet.iter_rows(values_only=True))[1:]}

    assert names(personas.city_staff) == {"王名家", "岱岳名家"}
    assert names(personas.county_b) == {"岱岳名家"}


@pytest.mark.parametrize("who", ["city_staff", "county_a", "organiser"])
def test_every_console_page_opens_for_each_role_that_uses_it(client, login, personas, cast, selection, who):
    expert = person(cast, name="王名家", roles=("expert", "influencer"), organisation=personas.society)
    services.influencer_account_add(actor=cast.county_a, person=expert, platform="bilibili", account="wang_kepu", followers=3000)
    nominator = cast.organiser if who == "organiser" else cast.county_a  # an organisation sees the nominations it made
    n = services.nomination_create(actor=nominator, selection=selection, person=expert, reasons=REASONS)
    services.nomination_review(actor=cast.city, nomination=n, decision="shortlist", note="拟列入")
    services.selection_start_notice(actor=cast.city, selection=selection)
    services.objection_file(nomination=n, contact="13900001111", reason="推荐材料与事实不符，请核实")
    login(client, getattr(personas, who))

    for path in ("/console/experts/", f"/console/experts/selections/{selection.uid}/", f"/console/experts/nominations/{n.uid}/",
                 "/console/experts/pool/", "/console/experts/pool/?kind=influencer", f"/console/experts/pool/{expert.uid}/",
                 "/console/experts/studios/"):  # fmt: skip
        response = client.get(path)
        assert response.status_code == 200, path
        assert "13900001111" not in response.content.decode()
        assert expert.phone not in response.content.decode()
