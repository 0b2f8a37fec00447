"""Forms of the resource library; services check again and their messages land beside the field they name."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinghuo.activities.models import Topic
from xinghuo.core.forms import Form
from xinghuo.organisations.models import Organisation
from xinghuo.resources.models import Field, Kind, Licence, NoticeKind, RedLineCategory, ResourceStatus, Reviewer
from xinghuo.venues.models import Audience


class RichTextEditor(forms.Textarea):
    """The body's textarea, which resources/editor.js turns into a Quill editor whose toolbar offers what
    richtext.clean keeps (headings, bold, italic, lists, quote, link). The textarea stays the field: the editor
    writes its HTML back into it, and without JavaScript it takes HTML or plain paragraphs as before."""

    template_name = "resources/widgets/rich_text.html"

    class Media:
        css = {"all": ["vendor/quill/quill.snow.css", "resources/editor.css"]}
        js = ["vendor/quill/quill.js", "resources/editor.js"]


class ResourceFilterForm(Form):
    q = forms.CharField(label=_("标题、作者或单位"), required=False, max_length=50)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态")), *ResourceStatus.choices])
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部类型")), *Kind.choices])
    field = forms.ChoiceField(label=_("领域"), required=False, choices=[("", _("全部领域")), *Field.choices])
    emergency = forms.BooleanField(label=_("只看应急科普"), required=False)
    todo = forms.BooleanField(label=_("只看待我办理"), required=False)


class ResourceForm(Form):
    title = forms.CharField(label=_("标题"), max_length=120, error_messages={"required": _("请填写标题")})
    kind = forms.ChoiceField(label=_("类型"), choices=Kind.choices, widget=forms.RadioSelect, error_messages={"required": _("请选择类型")})
    field = forms.ChoiceField(label=_("学科领域"), choices=[("", "——"), *Field.choices], help_text=_("初审由该领域的专家办理"),
                              error_messages={"required": _("请选择学科领域")})  # fmt: skip
    organisation = forms.ChoiceField(label=_("供稿单位"), error_messages={"required": _("请选择供稿单位"),
                                                                     "invalid_choice": _("请选择您可管理的单位")})  # fmt: skip
    author = forms.CharField(label=_("作者或主讲人"), max_length=100, help_text=_("如“张华（市中心医院主任医师）”"),
                             error_messages={"required": _("请填写作者或主讲人")})  # fmt: skip
    summary = forms.CharField(label=_("摘要"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}),
                              error_messages={"required": _("请填写摘要")})  # fmt: skip
    body = forms.CharField(label=_("正文"), required=False, widget=RichTextEditor(attrs={"rows": 12}), max_length=200_000,
                           help_text=_("图文必填（至少 100 字）；其他类型写内容介绍。"))  # fmt: skip
    external_url = forms.URLField(label=_("外部链接"), max_length=300, required=False, assume_scheme="https",
                                  help_text=_("视频、音频等放在其他平台时填写"), error_messages={"invalid": _("请填写正确的网址")})  # fmt: skip
    audiences = forms.MultipleChoiceField(label=_("面向人群"), choices=Audience.choices, widget=forms.CheckboxSelectMultiple,
                                          error_messages={"required": _("请选择面向人群")})  # fmt: skip
    topics = forms.MultipleChoiceField(label=_("主题"), choices=Topic.choices, widget=forms.CheckboxSelectMultiple,
                                       help_text=_("前六项为应急科普主题"), error_messages={"required": _("请选择主题")})  # fmt: skip
    is_emergency = forms.BooleanField(label=_("应急科普（加急审核，发布后在门户置顶）"), required=False)
    licence = forms.ChoiceField(label=_("授权方式"), choices=Licence.choices, initial=Licence.GRANTED)

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", "——")] + [(str(o.uid), o.name) for o in organisations]
        self._organisations = {str(o.uid): o for o in organisations}

    def clean_organisation(self) -> Organisation:
        return self._organisations[self.cleaned_data["organisation"]]


class MediaForm(Form):
    media = forms.FileField(label=_("媒体文件"), required=False, help_text=_("视频、音频、课件或电子书；按文件内容检查格式"))
    cover = forms.ImageField(label=_("封面图片"), required=False, help_text=_("JPEG、PNG 或 WebP"),
                             error_messages={"invalid_image": _("封面不是可以打开的图片")})  # fmt: skip


class AssignForm(Form):
    reviewer = forms.ChoiceField(label=_("初审专家"), error_messages={"required": _("请选择初审专家"),
                                                                   "invalid_choice": _("请从列出的专家中选择")})  # fmt: skip

    def __init__(self, *args: Any, candidates: list[Reviewer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].choices = [("", "——")] + [(str(r.user.uid), f"{r.user.name}（{r.title}）") for r in candidates]
        self._users = {str(r.user.uid): r.user for r in candidates}

    def clean_reviewer(self) -> Any:
        return self._users[self.cleaned_data["reviewer"]]


DECISION = {"required": _("请选择审核结论")}


class FirstReviewForm(Form):
    decision = forms.ChoiceField(label=_("审核结论"), widget=forms.RadioSelect, error_messages=DECISION,
                                 choices=[("pass", _("科学性审核通过")), ("return", _("退回修改"))])  # fmt: skip
    evidence = forms.CharField(label=_("依据与引文"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
                               help_text=_("通过时必填：所依据的文献、标准或权威机构资料"))  # fmt: skip
    re_review_on = forms.DateField(label=_("复审日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                   help_text=_("通过时必填：到期后资源回到您的审核队列；健康类内容建议一年"),
                                   error_messages={"invalid": _("日期格式应为 2027-03-01")})  # fmt: skip
    reason = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
                             help_text=_("退回时必填：写明需要修改的内容"))  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("re_review_on", timezone.localdate() + timedelta(days=365))


class SecondReviewForm(Form):
    decision = forms.ChoiceField(label=_("复核结论"), widget=forms.RadioSelect, error_messages=DECISION,
                                 choices=[("pass", _("通过并发布")), ("return", _("退回修改"))])  # fmt: skip
    reason = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
                             help_text=_("退回时必填"))  # fmt: skip


class WithdrawForm(Form):
    reason = forms.CharField(label=_("撤回理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000,
                             help_text=_("将显示在资源页面"), error_messages={"required": _("请填写撤回理由")})  # fmt: skip


class NoticeForm(Form):
    kind = forms.ChoiceField(label=_("类型"), widget=forms.RadioSelect, choices=[(NoticeKind.CORRECTION, _("更正")),
                                                                              (NoticeKind.REBUTTAL, _("辟谣"))],
                             error_messages={"required": _("请选择更正或辟谣")})  # fmt: skip
    text = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                           error_messages={"required": _("请填写说明内容")})  # fmt: skip


class ReviewerForm(Form):
    user = forms.CharField(label=_("专家账号"), max_length=150, help_text=_("已开通“评审专家”身份的用户名或手机号"),
                           error_messages={"required": _("请填写专家账号")})  # fmt: skip
    areas = forms.MultipleChoiceField(label=_("审核领域"), choices=Field.choices, widget=forms.CheckboxSelectMultiple,
                                        error_messages={"required": _("请选择至少一个审核领域")})  # fmt: skip
    title = forms.CharField(label=_("职称与单位"), max_length=120, error_messages={"required": _("请填写专家的职称与单位")})
    is_active = forms.BooleanField(label=_("在库"), required=False, initial=True)


class TermForm(Form):
    term = forms.CharField(label=_("词语"), max_length=40, error_messages={"required": _("请填写词语")})
    category = forms.ChoiceField(label=_("类别"), choices=RedLineCategory.choices)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)


class LibraryFilterForm(Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=50,
                        widget=forms.TextInput(attrs={"type": "search"}), help_text=_("标题、作者或内容，也可输入拼音"))  # fmt: skip
    organisation = forms.CharField(required=False, max_length=36, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部类型")), *Kind.choices])
    audience = forms.ChoiceField(label=_("面向人群"), required=False, choices=[("", _("全部人群")), *Audience.choices])
    topic = forms.ChoiceField(label=_("主题"), required=False, choices=[("", _("全部主题")), *Topic.choices])


class CourseForm(Form):
    title = forms.CharField(label=_("课程名称"), max_length=120, error_messages={"required": _("请填写课程名称")})
    organisation = forms.ChoiceField(label=_("开课单位"), error_messages={"required": _("请选择开课单位"),
                                                                    "invalid_choice": _("请选择您可管理的单位")})  # fmt: skip
    summary = forms.CharField(label=_("课程简介"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                              error_messages={"required": _("请填写课程简介")})  # fmt: skip
    audiences = forms.MultipleChoiceField(label=_("面向人群"), choices=Audience.choices, widget=forms.CheckboxSelectMultiple,
                                          error_messages={"required": _("请选择面向人群")})  # fmt: skip
    topics = forms.MultipleChoiceField(label=_("主题"), choices=Topic.choices, widget=forms.CheckboxSelectMultiple,
                                       error_messages={"required": _("请选择主题")})  # fmt: skip
    cover = forms.ImageField(label=_("封面图片"), required=False, error_messages={"invalid_image": _("封面不是可以打开的图片")})

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", "——")] + [(str(o.uid), o.name) for o in organisations]
        self._organisations = {str(o.uid): o for o in organisations}

    def clean_organisation(self) -> Organisation:
        return self._organisations[self.cleaned_data["organisation"]]


class LessonRowForm(Form):
    """One row of a course's lessons: the resource by its number (chosen from the search list), a name, minutes."""

    resource = forms.CharField(label=_("资源编号"), required=False, max_length=64, help_text=_("输入标题搜索，从列表中选择已发布的资源"),
                               widget=forms.TextInput(attrs={"list": "xh-resource-choices", "autocomplete": "off",
                                                             "class": "xh-lesson-resource"}))  # fmt: skip
    title = forms.CharField(label=_("课时名称"), required=False, max_length=120, help_text=_("留空则用资源标题"))
    minutes = forms.IntegerField(label=_("学时（分钟）"), required=False, min_value=1, max_value=600, initial=10,
                                 error_messages={"min_value": _("学时应为 1–600 分钟"), "max_value": _("学时应为 1–600 分钟")})  # fmt: skip


LessonFormSet = forms.formset_factory(LessonRowForm, extra=3, max_num=60, validate_max=True)
