from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xinghuo.core.forms import Form
from xinghuo.core.phones import CONTACT_PATTERN
from xinghuo.regions.models import Region
from xinghuo.venues.models import SUBTYPES, Audience, VenueStatus, VenueType


class MapFilterForm(Form):
    q = forms.CharField(label=_("名称"), required=False, max_length=50)
    type = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部类型")), *VenueType.choices])
    region = forms.ChoiceField(label=_("县市区"), required=False)
    audience = forms.ChoiceField(label=_("服务对象"), required=False, choices=[("", _("全部对象")), *Audience.choices])
    open_now = forms.BooleanField(label=_("此刻开放"), required=False)

    def __init__(self, *args: Any, counties: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("全市"))] + [(r.code, r.display_name) for r in counties]


class VenueFilterForm(Form):
    q = forms.CharField(label=_("名称"), required=False, max_length=50)
    type = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部类型")), *VenueType.choices])
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态")), *VenueStatus.choices])
    region = forms.ChoiceField(label=_("区划"), required=False)

    def __init__(self, *args: Any, regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("全部区划"))] + [(r.code, r.display_name) for r in regions]


class VenueForm(Form):
    name = forms.CharField(label=_("名称"), max_length=120, error_messages={"required": _("请填写名称")})
    venue_type = forms.ChoiceField(label=_("类型"), choices=[("", "——"), *VenueType.choices], error_messages={"required": _("请选择类型")})
    subtype = forms.ChoiceField(label=_("细分类型"), required=False)
    operator = forms.ChoiceField(
        label=_("运营单位"), error_messages={"required": _("请选择运营单位"), "invalid_choice": _("请选择您可管理的机构")}
    )
    region = forms.ChoiceField(
        label=_("所在乡镇（街道）"), error_messages={"required": _("请选择所在区划"), "invalid_choice": _("请选择您管理范围内的区划")}
    )
    address = forms.CharField(label=_("地址"), max_length=200, error_messages={"required": _("请填写地址")})
    lat = forms.FloatField(label=_("纬度（WGS-84）"), error_messages={"required": _("请填写纬度"), "invalid": _("纬度应为数字")},
                           help_text=_("用手机 GPS 或天地图取点；高德、腾讯地图的坐标需先纠偏"))  # fmt: skip
    lon = forms.FloatField(label=_("经度（WGS-84）"), error_messages={"required": _("请填写经度"), "invalid": _("经度应为数字")})
    hours = forms.CharField(
        label=_("开放时间"), required=False, max_length=200, help_text=_("如“周二至周日 09:00-17:00；周一 14:00-17:00”")
    )
    capacity = forms.IntegerField(label=_("同时接待人数"), min_value=0, required=False)
    audiences = forms.MultipleChoiceField(
        label=_("服务对象"), required=False, choices=Audience.choices, widget=forms.CheckboxSelectMultiple
    )
    facilities = forms.CharField(label=_("设施与展品"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    summary = forms.CharField(label=_("简介"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_phone = forms.RegexField(label=_("联系电话"), regex=CONTACT_PATTERN, required=False, max_length=20,
                                     error_messages={"invalid": _("请填写手机号或带区号的固定电话")})  # fmt: skip

    def __init__(self, *args: Any, operators: list, regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subtype"].choices = [("", "——")] + [(k, label) for pairs in SUBTYPES.values() for k, label in pairs]
        self.fields["operator"].choices = [("", "——")] + [(str(o.uid), o.name) for o in operators]
        self.fields["region"].choices = [("", "——")] + [(r.code, r.name) for r in regions]
        self._operators = {str(o.uid): o for o in operators}
        self._regions = {r.code: r for r in regions}

    def clean_operator(self):
        return self._operators[self.cleaned_data["operator"]]

    def clean_region(self):
        return self._regions[self.cleaned_data["region"]]
