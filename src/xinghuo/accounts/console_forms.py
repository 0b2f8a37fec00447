from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xinghuo.accounts.models import UserKind
from xinghuo.accounts.roles import Role
from xinghuo.core.forms import Form
from xinghuo.core.phones import MOBILE_PATTERN
from xinghuo.organisations.models import Organisation


class UserFilterForm(Form):
    q = forms.CharField(label=_("用户名/姓名"), required=False, max_length=50)
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部")), *UserKind.choices])
    role = forms.ChoiceField(label=_("角色"), required=False, choices=[("", _("全部角色")), *Role.choices])


class StaffUserForm(Form):
    username = forms.CharField(label=_("用户名"), max_length=50, error_messages={"required": _("请填写用户名")})
    name = forms.CharField(label=_("姓名"), max_length=50, error_messages={"required": _("请填写姓名")})
    phone = forms.RegexField(
        label=_("手机号（选填）"), regex=MOBILE_PATTERN, required=False, max_length=11,
        error_messages={"invalid": _("请输入 11 位中国大陆手机号")},
    )  # fmt: skip
    password = forms.CharField(
        label=_("初始密码"), widget=forms.PasswordInput, error_messages={"required": _("请设置初始密码")},
        help_text=_("至少 12 位，含大写字母、小写字母、数字、符号中的至少 3 类；用户首次登录后须修改。"),
    )  # fmt: skip


class GrantForm(Form):
    organisation = forms.ChoiceField(label=_("机构"), error_messages={"required": _("请选择机构")})
    role = forms.ChoiceField(label=_("角色"), choices=[("", "——"), *Role.choices], error_messages={"required": _("请选择角色")})

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._orgs = {str(o.uid): o for o in organisations}
        self.fields["organisation"].choices = [("", "——")] + [(str(o.uid), "　" * o.depth + o.name) for o in organisations]

    def clean_organisation(self) -> Organisation:
        org = self._orgs.get(self.cleaned_data["organisation"])
        if org is None:
            raise forms.ValidationError(_("请选择有效的机构"))
        return org


class PasswordResetForm(Form):
    password = forms.CharField(label=_("临时密码"), widget=forms.PasswordInput, error_messages={"required": _("请设置临时密码")})


class TokenForm(Form):
    membership = forms.ChoiceField(label=_("以哪个身份调用"), error_messages={"required": _("请选择身份")})
    name = forms.CharField(label=_("用途"), max_length=100, error_messages={"required": _("请填写令牌用途")})
    days = forms.IntegerField(
        label=_("有效天数"),
        min_value=1,
        max_value=366,
        initial=180,
        error_messages={"min_value": _("有效期至少 1 天"), "max_value": _("有效期最长 366 天"), "invalid": _("请填写整数天数")},
    )

    def __init__(self, *args: Any, memberships: list, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._memberships = {str(m.uid): m for m in memberships}
        self.fields["membership"].choices = [("", "——")] + [
            (str(m.uid), f"{m.user.audit_label()} · {m.get_role_display()} · {m.organisation}") for m in memberships
        ]

    def clean_membership(self):
        m = self._memberships.get(self.cleaned_data["membership"])
        if m is None:
            raise forms.ValidationError(_("请选择有效的身份"))
        return m
