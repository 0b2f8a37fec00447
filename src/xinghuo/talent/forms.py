"""Forms of the people registry. Services check again; their DomainError lands beside the field it names.

A phone or ID number is never put back into a form in clear: editing shows the masked value as a hint, and an
empty box keeps what is stored."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xinghuo.core.forms import Form
from xinghuo.regions.models import Region
from xinghuo.talent.models import Expertise, Gender, RoleKind


class PersonFilterForm(Form):
    q = forms.CharField(label=_("姓名"), required=False, max_length=50)
    role = forms.ChoiceField(label=_("角色"), required=False, choices=[("", _("全部角色")), *RoleKind.choices])
    county = forms.ChoiceField(label=_("县市区"), required=False)
    field = forms.ChoiceField(label=_("专业领域"), required=False, choices=[("", _("全部领域")), *Expertise.choices])

    def __init__(self, *args: Any, counties: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [("", _("全部县市区"))] + [(r.code, r.display_name) for r in counties]


class PersonForm(Form):
    name = forms.CharField(label=_("姓名"), max_length=50, error_messages={"required": _("请填写姓名")})
    id_number = forms.CharField(label=_("身份证号"), max_length=30, required=False,
                                help_text=_("18 位居民身份证号；填写后性别和出生年份以身份证号为准。加密保存，各处脱敏显示"))  # fmt: skip
    gender = forms.ChoiceField(label=_("性别"), required=False, choices=[("", "—"), *Gender.choices])
    birth_year = forms.IntegerField(label=_("出生年份"), required=False, min_value=1900, max_value=2100,
                                    error_messages={"invalid": _("请填写四位年份")})  # fmt: skip
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    region = forms.CharField(label=_("所在区划"), max_length=100, error_messages={"required": _("请填写所在区划")},
                             help_text=_("乡镇（街道）9 位或社区（村）12 位区划代码，也可填名称（重名时须填代码）"))  # fmt: skip
    organisation = forms.CharField(label=_("工作单位"), max_length=100, required=False, help_text=_("平台机构名录中的机构全称或机构代码"))
    title = forms.CharField(label=_("职称/职务"), max_length=100, required=False)
    expertise = forms.MultipleChoiceField(
        label=_("专业领域"), required=False, choices=Expertise.choices, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    photo = forms.ImageField(label=_("照片"), required=False, help_text=_("JPEG、PNG 或 WebP；保存时去除拍摄位置等信息"))
    guardian_name = forms.CharField(label=_("监护人姓名"), max_length=50, required=False)
    guardian_phone = forms.CharField(label=_("监护人手机号"), max_length=20, required=False)
    guardian_consent = forms.BooleanField(label=_("监护人已阅读并同意《个人信息告知同意书》"), required=False)

    def __init__(self, *args: Any, masked: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, value in (masked or {}).items():  # editing: the stored value, masked, told beside the empty box
            if value:
                self.fields[name].help_text = _("现为 %(masked)s；不修改请留空") % {"masked": value}


class PersonCreateForm(PersonForm):
    roles = forms.MultipleChoiceField(label=_("角色"), required=False, choices=RoleKind.choices, widget=forms.CheckboxSelectMultiple)
    consent = forms.BooleanField(label=_("本人已阅读并同意《个人信息告知同意书》"), required=False)


class RoleForm(Form):
    kind = forms.ChoiceField(label=_("角色"), choices=RoleKind.choices, error_messages={"invalid_choice": _("请选择有效的角色")})
    since = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                            error_messages={"invalid": _("请按“年-月-日”填写日期")})  # fmt: skip
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
