"""The personal-information notice (个人信息告知同意书) a person — or a child's guardian — agrees to before their
data enters the registry. The text in force is CURRENT; changing a word means a new VERSION, so that every
person's consent keeps pointing at the text they were actually shown (`ConsentText`)."""

from __future__ import annotations

from xinghuo.core.errors import DomainError
from xinghuo.talent.errors import TalentError
from xinghuo.talent.models import ConsentText

VERSION = "2026-12"
TEXT = (
    "泰安市科学技术协会（以下简称“市科协”）为组建科普人才队伍、联系和服务科普专家与志愿者，"
    "需收集您的姓名、性别、出生年份、工作单位、职称职务、专业领域、所在区划、手机号码、身份证号码和照片。"
    "身份证号码仅用于核实身份、避免重复登记，加密存储；手机号码和身份证号码在平台各处脱敏显示，"
    "查看完整信息须经授权并记入审计日志。上述信息仅用于科普工作联络、表彰激励和统计，不向无关单位和个人提供。"
    "您可以随时要求查阅、更正或删除您的信息，或撤回同意。不满 14 周岁的未成年人，须由其监护人阅读并同意。"
)


def current() -> ConsentText:
    """The text in force, stored once under its version; a stored text of the same version that differs is refused
    (someone changed the words without a new version)."""
    consent, _ = ConsentText.objects.get_or_create(version=VERSION, defaults={"text": TEXT})
    if consent.text != TEXT:
        raise DomainError(TalentError.INVALID, f"告知同意书 {VERSION} 版的文字与已存档的不一致：修改文字须启用新版本号")
    return consent
