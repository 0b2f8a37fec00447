from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xinghuo.accounts.actor import Actor
from xinghuo.core.forms import Form
from xinghuo.core.phones import CONTACT_PATTERN
from xinghuo.organisations.models import Organisation, OrganisationKind
from xinghuo.organisations.permissions import kinds_actor_may_create
from xinghuo.regions.models import Region, RegionLevel


class OrganisationFilterForm(Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=50)
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部类型")), *OrganisationKind.choices])
    region = forms.ChoiceField(label=_("区划"), required=False)

    def __init__(self, *args: Any, regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("全部区划"))] + [(r.code, r.display_name) for r in regions]


class OrganisationForm(Form):
    name = forms.CharField(label=_("名称"), max_length=120, error_messages={"required": _("请填写机构名称")})
    short_name = forms.CharField(label=_("简称"), max_length=60, required=False)
    kind = forms.ChoiceField(
        label=_("类型"), error_messages={"required": _("请选择机构类型"), "invalid_choice": _("您不能创建这一类型的机构")}
    )
    parent = forms.ChoiceField(
        label=_("上级机构"),
        error_messages={"required": _("请选择上级机构"), "invalid_choice": _("请选择您可管理范围内的上级机构")},
    )
    region = forms.ChoiceField(
        label=_("所在区划"),
        error_messages={"required": _("请选择所在区划"), "invalid_choice": _("请选择您可管理范围内的区划")},
    )
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_phone = forms.RegexField(
        label=_("联系电话"), regex=CONTACT_PATTERN, max_length=20, required=False,
        error_messages={"invalid": _("请填写手机号或带区号的固定电话，如 0538-8221234")},
    )  # fmt: skip
    address = forms.CharField(label=_("地址"), max_length=200, required=False)

    def __init__(self, *args: Any, actor: Actor, parents: list[Organisation], regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = kinds_actor_may_create(actor)
        self.fields["kind"].choices = [("", "——")] + [(k, OrganisationKind(k).label) for k in allowed]
        self.fields["parent"].choices = [("", "——")] + [(str(p.uid), "　" * p.depth + p.name) for p in parents]
        self.fields["region"].choices = [("", "——")] + [
            (r.code, ("" if r.level in (RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.ZONE) else "　") + r.display_name)
            for r in regions
        ]
        self._parents = {str(p.uid): p for p in parents}
        self._regions = {r.code: r for r in regions}

    def clean_parent(self) -> Organisation | None:
        if self.fields["parent"].disabled:
            return None  # moving an organisation is not done by editing it
        parent = self._parents.get(self.cleaned_data["parent"])
        if parent is None:
            raise forms.ValidationError(_("请选择您可管理范围内的上级机构"))
        return parent

    def clean_region(self) -> Region:
        region = self._regions.get(self.cleaned_data["region"])
        if region is None:
            raise forms.ValidationError(_("请选择您可管理范围内的区划"))
        return region
