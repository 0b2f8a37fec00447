"""A change and its audit record commit together or not at all; bulk writes are refused unless audited."""

from __future__ import annotations

import pytest
from django.db import transaction
from tests.factories import StaffFactory

from xinghuo.accounts.roles import Role
from xinghuo.accounts.services import membership_grant
from xinghuo.core import audit
from xinghuo.core.models import AuditAction, AuditChainHead, AuditEvent, BulkWriteNotAudited
from xinghuo.core.scoping import system_scope
from xinghuo.organisations.models import Organisation, OrganisationKind
from xinghuo.organisations.services import organisation_bulk_create, organisation_create, organisation_update
from xinghuo.portal.models import News, NewsStatus
from xinghuo.portal.services import news_create
from xinghuo.regions.models import Region


class LaterStepFailed(Exception):
    pass


def _new_school(name: str = "泰山区实验学校") -> Organisation:
    return organisation_create(
        name=name,
        kind=OrganisationKind.SCHOOL,
        region=Region.objects.get(code="370902001"),
        parent=Organisation.unscoped.get(code="KX370902"),
    )


@pytest.fixture
def break_audit(monkeypatch):
    """From the call on, writing an audit record fails."""

    def broken(event, *args, **kwargs):
        raise RuntimeError("audit store unavailable")

    return lambda: monkeypatch.setattr(AuditEvent, "save", broken)


# --- a failure after the save ---------------------------------------------------------------------------------


def test_a_creation_rolled_back_after_its_save_leaves_no_record(personas, watch_trail):
    watch = watch_trail()

    with pytest.raises(LaterStepFailed), transaction.atomic():
        org = _new_school()
        assert AuditEvent.objects.filter(object_id=str(org.uid)).count() == 1  # written, inside the transaction
        raise LaterStepFailed

    assert not Organisation.unscoped.filter(uid=org.uid).exists()
    assert watch.events() == []


def test_an_update_rolled_back_after_its_save_leaves_no_record(personas, watch_trail):
    watch = watch_trail()

    with pytest.raises(LaterStepFailed), transaction.atomic():
        organisation_update(organisation=personas.org_a, name="岱庙街道第二小学")
        raise LaterStepFailed

    assert Organisation.unscoped.get(pk=personas.org_a.pk).name == "岱庙街道中心小学"
    assert watch.events() == []


def test_a_deletion_rolled_back_leaves_no_record(personas, watch_trail):
    news = news_create(actor=personas.actor(personas.city_staff), title="科技周开幕", body="正文", category="work")
    watch = watch_trail()

    with pytest.raises(LaterStepFailed), transaction.atomic(), system_scope():
        news.delete()
        raise LaterStepFailed

    with system_scope():
        assert News.objects.filter(uid=news.uid).exists()
    assert watch.events() == []


def test_after_a_rollback_the_chain_goes_on_from_the_last_committed_record(personas, watch_trail):
    audit.seal_pending()
    head = AuditChainHead.objects.get()
    watch = watch_trail()
    with pytest.raises(LaterStepFailed), transaction.atomic():
        _new_school("回滚的学校")
        raise LaterStepFailed

    kept = _new_school("留下的学校")
    audit.seal_pending()

    event = watch.one(AuditAction.CREATE)
    assert event.object_id == str(kept.uid)
    assert (event.seq, event.prev_hash) == (head.last_seq + 1, head.last_hash)
    assert audit.verify_chain()[1] is None


# --- a failure of the audit write -----------------------------------------------------------------------------


def test_when_the_record_cannot_be_written_a_creation_is_not_saved(personas, watch_trail, break_audit):
    watch = watch_trail()
    break_audit()

    with pytest.raises(RuntimeError, match="audit store unavailable"):
        _new_school()

    assert not Organisation.unscoped.filter(name="泰山区实验学校").exists()
    assert watch.events() == []


def test_when_the_record_cannot_be_written_an_update_is_not_saved(personas, break_audit):
    break_audit()
    with pytest.raises(RuntimeError, match="audit store unavailable"):
        organisation_update(organisation=personas.org_a, name="岱庙街道第二小学", contact_phone="13812345678")

    org = Organisation.unscoped.get(pk=personas.org_a.pk)
    assert (org.name, org.contact_phone) == ("岱庙街道中心小学", "")


def test_when_the_record_cannot_be_written_a_deletion_is_not_done(personas, break_audit):
    news = news_create(actor=personas.actor(personas.city_staff), title="科技周开幕", body="正文", category="work")
    break_audit()

    # Django's deletion joins the caller's transaction (no savepoint of its own); outside a test that is the
    # request's own transaction, which the atomic block here stands for.
    with pytest.raises(RuntimeError, match="audit store unavailable"), transaction.atomic(), system_scope():
        news.delete()

    with system_scope():
        assert News.objects.filter(uid=news.uid).exists()


def test_when_the_record_cannot_be_written_a_caller_that_catches_the_error_cannot_commit(personas, watch_trail, break_audit):
    watch = watch_trail()

    with transaction.atomic():
        organisation_update(organisation=personas.org_a, name="岱庙街道第二小学")
        break_audit()
        try:
            audit.record(AuditAction.EXPORT, object_type="organisations.organisation")
        except RuntimeError:
            pass  # a careless caller goes on as if the record had been written
        with pytest.raises(transaction.TransactionManagementError):
            Organisation.unscoped.filter(pk=personas.org_a.pk).exists()

    assert Organisation.unscoped.get(pk=personas.org_a.pk).name == "岱庙街道中心小学"
    assert watch.events() == []


def test_when_the_record_cannot_be_written_a_role_is_not_granted(personas, break_audit):
    break_audit()
    with pytest.raises(RuntimeError):
        membership_grant(user=personas.county_b, organisation=personas.society, role=Role.REVIEWER)

    assert not personas.county_b.memberships.filter(role=Role.REVIEWER).exists()


def test_when_the_record_cannot_be_written_a_page_saves_nothing(personas, client, login, break_audit):
    login(client, personas.city_staff)
    parent = Organisation.unscoped.get(code="KX370902")
    break_audit()

    with pytest.raises(RuntimeError):
        client.post(
            "/console/organisations/new/", {"name": "泰山区实验学校", "kind": "school", "parent": str(parent.uid), "region": "370902001"}
        )

    assert not Organisation.unscoped.filter(name="泰山区实验学校").exists()


# --- bulk writes ----------------------------------------------------------------------------------------------


def _two_drafts(personas) -> list[News]:
    actor = personas.actor(personas.city_staff)
    return [news_create(actor=actor, title=f"第{i}期科普讲堂", body="正文", category="work") for i in (1, 2)]


def test_a_queryset_update_outside_an_audited_block_is_refused(personas, watch_trail):
    drafts = _two_drafts(personas)
    watch = watch_trail()

    with system_scope(), pytest.raises(BulkWriteNotAudited):
        News.objects.filter(uid__in=[n.uid for n in drafts]).update(status=NewsStatus.WITHDRAWN)

    with system_scope():
        assert set(News.objects.filter(uid__in=[n.uid for n in drafts]).values_list("status", flat=True)) == {NewsStatus.DRAFT}
    assert watch.events() == []


def test_a_related_manager_update_is_refused_too(personas):
    with pytest.raises(BulkWriteNotAudited):
        personas.county_a.memberships.update(is_active=False)

    assert personas.county_a.memberships.get().is_active


def test_bulk_create_and_bulk_update_outside_an_audited_block_are_refused(personas):
    region = Region.objects.get(code="370902001")
    parent = Organisation.unscoped.get(code="KX370902")
    orgs = [Organisation(name=f"批量学校{i}", kind=OrganisationKind.SCHOOL, region=region, parent=parent, code=f"BULK-{i}") for i in (1, 2)]

    with pytest.raises(BulkWriteNotAudited):
        Organisation.unscoped.bulk_create(orgs)
    personas.org_a.name = "改名"
    with pytest.raises(BulkWriteNotAudited):
        Organisation.unscoped.bulk_update([personas.org_a], ["name"])

    assert not Organisation.unscoped.filter(code__startswith="BULK-").exists()
    assert Organisation.unscoped.get(pk=personas.org_a.pk).name == "岱庙街道中心小学"


def test_an_audited_bulk_update_leaves_one_summary_record(personas, watch_trail):
    drafts = _two_drafts(personas)
    watch = watch_trail()

    with system_scope(), audit.bulk_write(model=News, description="撤回过期动态") as summary:
        summary["updated"] = News.objects.filter(uid__in=[n.uid for n in drafts]).update(status=NewsStatus.WITHDRAWN)

    with system_scope():
        assert set(News.objects.filter(uid__in=[n.uid for n in drafts]).values_list("status", flat=True)) == {NewsStatus.WITHDRAWN}
    [event] = watch.events()
    assert (event.action, event.object_type, event.object_repr) == (AuditAction.BULK, "portal.news", "撤回过期动态")
    assert event.changes == {"updated": [None, "2"]}


def test_an_audited_bulk_create_leaves_one_summary_record(personas, watch_trail):
    region = Region.objects.get(code="370902001")
    parent = Organisation.unscoped.get(code="KX370902")
    items = [Organisation(name=f"批量学校{i}", kind=OrganisationKind.SCHOOL, region=region, parent=parent) for i in range(3)]
    watch = watch_trail()

    with system_scope():
        organisation_bulk_create(items=items, description="导入学校名单")

    assert Organisation.unscoped.filter(name__startswith="批量学校").count() == 3
    [event] = watch.events()
    assert (event.action, event.object_type, event.changes) == (AuditAction.BULK, "organisations.organisation", {"created": [None, "3"]})


def test_a_failing_bulk_block_leaves_neither_rows_nor_record(personas, watch_trail):
    drafts = _two_drafts(personas)
    watch = watch_trail()

    with system_scope(), pytest.raises(LaterStepFailed), audit.bulk_write(model=News, description="撤回过期动态"):
        News.objects.filter(uid__in=[n.uid for n in drafts]).update(status=NewsStatus.WITHDRAWN)
        raise LaterStepFailed

    with system_scope():
        assert set(News.objects.filter(uid__in=[n.uid for n in drafts]).values_list("status", flat=True)) == {NewsStatus.DRAFT}
    assert watch.events() == []


def test_bulk_writes_are_refused_again_after_the_block(personas):
    with audit.bulk_write(model=News, description="空操作"):
        pass

    with pytest.raises(BulkWriteNotAudited):
        personas.county_a.memberships.update(is_active=False)


def test_a_save_records_what_changed_and_a_save_without_change_records_nothing(personas, watch_trail):
    user = StaffFactory(username="teacher", name="张老师")
    watch = watch_trail()

    user.name = "王老师"
    user.save(update_fields=["name", "updated_at"])
    user.save()

    assert watch.one(AuditAction.UPDATE).changes == {"name": ["张老师", "王老师"]}
