"""Default construction standards (建设标准, 2024 版) for every venue type, in force from the start.

City staff edit them in the console (a used version is kept as history; edits go into a new version). Each
is a 100-point scale — facilities, operations and results as cities score their education bases — with the
grade bands 优秀 ≥90, 优良 ≥70, 合格 ≥60; a service station is scored on its "五有" (network, staff, space,
activities, terminals), each a key indicator (必备项)."""

from django.db import migrations

# (category, name, points, what to score, evidence, key indicator)
STANDARDS = {
    "spark_hall": ("星火科技馆建设标准", [
        ("设施条件", "场馆面积与布局", 10, "展教面积不少于 300 平方米，分区合理，有统一标识", "场馆平面图、产权或使用证明", False),
        ("设施条件", "展品与展项", 10, "科普展品（展项）不少于 30 件（套），每年更新不少于 10%", "展品清单、更新记录、照片", False),
        ("设施条件", "安全与无障碍", 5, "消防验收合格，应急疏散预案与演练，无障碍设施", "消防验收文件、应急预案", True),
        ("设施条件", "信息化接入", 5, "接入星火科普平台和科普云地图，开通预约参观", "平台账号、预约页面截图", False),
        ("运营管理", "常态化开放", 10, "每周开放不少于 5 天，全年开放不少于 250 天", "开放制度、开放记录", True),
        ("运营管理", "年接待量", 10, "年接待观众不少于 1 万人次，其中青少年不少于 30%", "接待台账、预约数据", False),
        ("运营管理", "科普活动", 10, "年开展科普活动不少于 12 场，参与全国科普日、科技活动周等", "活动方案、总结、照片", False),
        ("运营管理", "科普队伍", 10, "专兼职科普人员不少于 3 名，科技志愿者不少于 10 名", "人员名单、志愿者注册记录", False),
        ("运营管理", "管理制度", 10, "开放、讲解、预约、安全、档案等制度健全并执行", "制度文件", False),
        ("特色与成效", "特色主题", 10, "围绕新技术、产业或地方特色形成主题，内容科学准确", "主题说明、展教方案", False),
        ("特色与成效", "社会评价", 10, "观众满意度高，获媒体报道或上级表彰", "满意度调查、报道、表彰文件", False),
    ]),
    "spark_station": ("星火科普服务站建设标准（五有）", [
        ("五有", "有网络", 15, "接入互联网和星火科普平台，能收看云课堂、发布活动", "网络开通证明、平台账号", True),
        ("五有", "有人员", 15, "有专兼职星火科普宣传员至少 1 名、科技志愿者至少 5 名", "人员名单、聘书", True),
        ("五有", "有场所", 20, "依托党群服务中心、新时代文明实践中心（站）或科技小院，固定场所不少于 50 平方米，悬挂统一标识", "场所照片、标识照片", True),
        ("五有", "有活动", 20, "每月至少开展 1 次科普活动，全年不少于 12 次", "活动记录、照片", True),
        ("五有", "有终端", 15, "配备科普大屏、科普 e 站或电子阅览终端至少 1 台", "设备清单、照片", True),
        ("管理与成效", "制度与台账", 10, "服务站管理制度上墙，活动和服务台账完整", "制度、台账", False),
        ("管理与成效", "群众评价", 5, "群众知晓率和满意度", "走访或问卷记录", False),
    ]),
    "education_base": ("科普教育基地认定标准", [
        ("设施条件", "科普场所", 10, "有固定的科普展示场所和公众参观通道", "场所照片、平面图", False),
        ("设施条件", "展教资源", 10, "有展品、科普读物、科普课程等展教资源", "资源清单", False),
        ("设施条件", "安全保障", 5, "安全设施完备，有应急预案", "安全检查记录、应急预案", True),
        ("设施条件", "接待能力", 5, "可同时接待不少于 50 人，具备团体接待条件", "接待方案", False),
        ("运营管理", "向公众开放", 15, "每年开放不少于 120 天，对青少年团体免费或优惠", "开放制度、开放记录", True),
        ("运营管理", "科普活动", 15, "每年开展科普活动不少于 10 次，参与全国科普日等", "活动方案、总结", False),
        ("运营管理", "科普队伍", 10, "有专兼职科普讲解人员和科技志愿者", "人员名单", False),
        ("运营管理", "制度与经费", 10, "有科普工作制度和年度经费保障", "制度文件、经费证明", False),
        ("成效", "年接待人次", 10, "年接待公众不少于 5000 人次", "接待台账", False),
        ("成效", "特色与影响", 10, "科普特色鲜明，社会影响良好", "报道、表彰文件", False),
    ]),
    "science_museum": ("科技馆运行评估标准", [
        ("展教资源", "常设展厅", 15, "常设展厅面积与展品完好率（不低于 90%）", "展品清单、完好率检查记录", False),
        ("展教资源", "临时展览与流动科技馆", 10, "每年举办临时展览，开展流动科技馆进基层", "展览与巡展记录", False),
        ("展教资源", "科普影视与实验", 5, "科普影视、科学实验室等教育设施", "设施清单", False),
        ("运营管理", "免费开放", 15, "落实免费开放，每周开放不少于 5 天", "开放制度、开放记录", True),
        ("运营管理", "教育活动", 15, "馆校合作、研学活动、科学课程", "合作协议、课程表", False),
        ("运营管理", "人员队伍", 10, "专职科普人员占比和培训", "人员名单、培训记录", False),
        ("运营管理", "安全与应急", 10, "安全管理和应急处置", "安全制度、演练记录", True),
        ("成效", "年观众量", 10, "年观众量与青少年占比", "观众统计", False),
        ("成效", "数字化与服务评价", 10, "线上展览、预约服务和观众满意度", "平台截图、满意度调查", False),
    ]),
    "expert_studio": ("科普专家工作室认定标准", [
        ("团队", "领衔专家", 20, "由泰山科普名家或具有高级职称的专家领衔", "专家简历、职称证书", True),
        ("团队", "工作室成员", 15, "成员不少于 3 人，结构合理", "成员名单", False),
        ("条件", "场所与设备", 15, "有固定工作场所和科普创作、演示设备", "场所照片、设备清单", False),
        ("成效", "科普作品", 20, "每年原创科普作品不少于 5 件（篇、部）", "作品清单、发布链接", False),
        ("成效", "科普活动", 20, "每年进基层开展科普活动不少于 6 次", "活动记录", False),
        ("管理", "工作机制", 10, "有工作计划、制度和年度总结", "计划、总结", False),
    ]),
    "open_lab": ("开放实验室科普开放标准", [
        ("条件", "安全资质", 10, "实验室安全资质与防护条件", "安全资质文件", True),
        ("条件", "仪器设备", 15, "可供公众体验的仪器设备和实验项目", "设备与项目清单", False),
        ("开放", "开放时间与预约", 20, "每年向公众开放不少于 20 天，接受预约", "开放计划、预约记录", True),
        ("开放", "科普项目", 20, "体验实验、科普课程、科研过程展示", "项目方案", False),
        ("队伍", "讲解指导人员", 15, "有科研人员担任讲解和指导", "人员名单", False),
        ("管理", "安全管理制度", 10, "公众进入实验室的安全告知和管理", "制度文件、告知书", True),
        ("成效", "开放成效", 10, "年接待人次和公众评价", "接待台账、评价", False),
    ]),
    "enterprise_hall": ("企业科普展厅认定标准", [
        ("展示内容", "科学内容", 25, "阐释产品背后的科学原理和技术进步，不以产品推销为主", "展陈大纲", True),
        ("展示内容", "展示设施", 15, "展示面积、互动展项和讲解设施", "场所照片、展项清单", False),
        ("开放", "开放与预约", 20, "每月开放不少于 4 天，接受学校和公众预约", "开放制度、预约记录", True),
        ("开放", "讲解与活动", 20, "专职讲解人员，开展科普活动和研学", "人员名单、活动记录", False),
        ("管理", "安全保障", 10, "参观路线安全，有应急预案", "安全制度、应急预案", True),
        ("成效", "开放成效", 10, "年接待人次与社会评价", "接待台账", False),
    ]),
}


def create(apps, schema_editor):
    Standard = apps.get_model("certification", "Standard")
    Indicator = apps.get_model("certification", "Indicator")
    for venue_type, (name, rows) in STANDARDS.items():
        assert sum(r[2] for r in rows) == 100, venue_type
        if Standard.objects.filter(venue_type=venue_type, version="2024版").exists():
            continue
        standard = Standard.objects.create(
            venue_type=venue_type, version="2024版", name=name, is_active=True,
            note="平台预置的默认标准，市科协可新建版本修改后启用。",
        )
        for order, (category, title, weight, description, evidence, key) in enumerate(rows, start=1):
            Indicator.objects.create(
                standard=standard, order=order, category=category, name=title, weight=weight,
                description=description, evidence=evidence, is_key=key,
            )


def remove(apps, schema_editor):
    Standard = apps.get_model("certification", "Standard")
    Standard.objects.filter(version="2024版", applications__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("certification", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
