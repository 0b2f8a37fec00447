"""Forms of the officers' pages. Services check again; their DomainError lands beside the field it names.

Registering has two forms on one page (no script needed): one for a person already in the people registry — found by
their whole ID number or phone, posted, never in an address — and one that enters a new person with the consent they
gave (talent's rules) and registers them at once."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xinghuo.core.forms import Form
from xinghuo.talent.models import Gender


class OfficerForm(Form):
    account = forms.CharField(label=_("科普中国账号"), max_length=50, error_messages={"required": _("请填写科普中国账号")},
                              help_text=_("科普中国 App 的账号 ID 或昵称（不要填手机号）；导入传播数据时据此或手机号找到信息员"))  # fmt: skip
    organisation = forms.CharField(label=_("注册单位"), max_length=100, error_messages={"required": _("请填写注册单位")},
                                   help_text=_("信息员注册时所属的机构：平台机构名录中的机构全称或机构代码"))  # fmt: skip
    registered_on = forms.DateField(label=_("注册日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                    help_text=_("不填为今天"), error_messages={"invalid": _("请按“年-月-日”填写日期")})  # fmt: skip
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class ExistingPersonForm(OfficerForm):
    person = forms.CharField(widget=forms.HiddenInput, required=False)
    who = forms.CharField(label=_("身份证号或手机号"), max_length=30, required=False,
                          help_text=_("人员库中该人员的完整身份证号或手机号"))  # fmt: skip

    field_order = ["who", "account", "organisation", "registered_on", "note"]


class NewPersonForm(OfficerForm):
    name = forms.CharField(label=_("姓名"), max_length=50, error_messages={"required": _("请填写姓名")})
    id_number = forms.CharField(
        label=_("身份证号"), max_length=30, required=False, help_text=_("18 位居民身份证号，加密保存，各处脱敏显示")
    )
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    gender = forms.ChoiceField(label=_("性别"), required=False, choices=[("", "—"), *Gender.choices])
    region = forms.CharField(label=_("所在区划"), max_length=100, error_messages={"required": _("请填写所在区划")},
                             help_text=_("乡镇（街道）9 位或社区（村）12 位区划代码，也可填名称（重名时须填代码）"))  # fmt: skip
    consent = forms.BooleanField(label=_("本人已阅读并同意《个人信息告知同意书》"), required=False)

    field_order = ["name", "id_number", "phone", "gender", "region", "account", "organisation", "registered_on", "note", "consent"]
