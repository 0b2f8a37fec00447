"""Demo research-tour routes made of the demo's real venues of Tai'an, a few school bookings, and the TAI科 points
along Mount Tai's four trails (real places, approximate WGS-84 positions and elevations, short science texts).

`small`: one route and two points per trail; `city` and `province`: four routes and every point (Tai'an only).
Idempotent: routes and points are each seeded once. Everything goes through the services, so every record is
checked and audited as in production."""

from __future__ import annotations

from datetime import timedelta

from django.db.models.functions import Length
from django.utils import timezone

from xinghuo.accounts.models import User, UserKind
from xinghuo.core.demo import DemoContext
from xinghuo.core.phones import CONTACT_RE
from xinghuo.organisations.models import Organisation, OrganisationKind
from xinghuo.regions.models import Region
from xinghuo.tours import services
from xinghuo.tours.models import Route, TaiPoint, Theme, Trail
from xinghuo.tours.services import StopSpec
from xinghuo.venues.models import PUBLIC_STATUSES, Audience, Venue

# (slug, name, operator code, region code, summary, [(venue name keyword, minutes, notes)])
ROUTES = [
    ("taishan-geology", "泰山地质探秘研学线", "KX370902", "370902",
     "从太古宙的泰山杂岩讲起，看岩石、化石与地貌，了解泰山为什么这么“老”、这么“高”。适合小学高年级和初中。",
     [("地质矿产星火科技馆", 60, "岩石矿物标本与互动展项"), ("地质博物馆科普教育基地", 90, "泰山杂岩与寒武纪地层"),
      ("泰山生态星火科技馆", 60, "泰山动植物与垂直分带"), ("市科技馆", 90, "午后自由参观基础科学展厅")]),
    ("smart-manufacturing", "智能制造与新能源研学线", "KX370900-KJG", "370900",
     "走进星火科技馆和开放实验室，体验工业机器人、光伏与储能，认识身边的“新质生产力”。适合初中、高中。",
     [("智能制造星火科技馆", 60, "工业机器人示教"), ("新能源星火科技馆", 60, "光伏发电与储能"),
      ("新材料星火科技馆", 45, ""), ("开放实验室", 90, "动手实验：简易电机")]),
    ("modern-agriculture", "现代农业与生命健康研学线", "KX370900-KJG", "370900",
     "从一粒种子到一株药材：农业科技园里看智慧农业，中医药博物馆里认识本草。适合小学中高年级。",
     [("现代农业星火科技馆", 60, ""), ("农业科技园科普教育基地", 90, "温室与水肥一体化"),
      ("中医药博物馆科普教育基地", 60, "泰山四大名药"), ("生命健康星火科技馆", 45, "")]),
    ("weather-astronomy", "气象天文与防灾减灾研学线", "KX370900-KJG", "370900",
     "看云识天、观星测时，再到地震台和消防救援站学习防灾避险。适合小学高年级和初中。",
     [("气象防灾星火科技馆", 60, ""), ("气象台科普教育基地", 60, "百叶箱与探空气球"),
      ("地震台科普教育基地", 45, "地震波与避险"), ("天文台科普教育基地", 90, "日间观测太阳黑子（天气晴好时）")]),
]  # fmt: skip

CENTRAL, TIANWAI, TAOHUAYU, TIANZHU = Trail.CENTRAL, Trail.TIANWAI, Trail.TAOHUAYU, Trail.TIANZHU
GEO, ECO, ASTRO, HIST = Theme.GEOLOGY, Theme.ECOLOGY, Theme.ASTRONOMY, Theme.HISTORY

# (trail, name, theme, lat, lon, elevation, body) — in order along each trail, from the foot upwards.
POINTS = [
    (CENTRAL, "红门：泰山杂岩", GEO, 36.2156, 117.1165, 240,
     ("红门一带出露的灰黑色、带黑白条带的岩石属“泰山杂岩”，主要是形成于太古宙、距今约25亿年以上的片麻岩和花岗质岩石，"
     "是华北地区最古老的岩石之一。黑白相间的条带叫片麻理，是岩石在地下深处的高温高压中矿物重新排列形成的。")),
    (CENTRAL, "万仙楼：侧柏林", ECO, 36.2185, 117.1150, 300,
     ("泰山南坡海拔约800米以下，山路两旁多是侧柏。侧柏耐干旱、耐瘠薄，根系能钻进岩石裂隙，是北方石灰岩和片麻岩山地"
     "造林的先锋树种。泰山的侧柏林大多是新中国成立后几代人一棵棵栽下的。")),
    (CENTRAL, "斗母宫：古树里的年轮", ECO, 36.2230, 117.1128, 420,
     ("树木每年长出一圈年轮：雨水多的年份轮宽，干旱的年份轮窄。科学家用生长锥从古树上取出细细的木芯，数年轮、量宽度，"
     "就能推算过去几百年的降水变化，这门学问叫树木年代学。")),
    (CENTRAL, "经石峪：石坪与节理", GEO, 36.2265, 117.1140, 450,
     ("《金刚经》刻在一片缓缓倾斜的大石坪上。石坪是花岗质岩石沿着平直的裂隙——节理——剥落后留下的平整岩面。"
     "节理是岩石受力破裂而没有明显位移的裂缝，泰山许多陡崖和石坪都沿节理发育。")),
    (CENTRAL, "壶天阁：越高越冷", ECO, 36.2320, 117.1105, 600,
     ("在对流层里，海拔每升高100米，气温平均下降约0.6℃。从红门到玉皇顶高差约1300米，山顶常比山下低7—8℃，"
     "所以泰安城里桃花开了，山顶的桃花要晚两三个星期才开。")),
    (CENTRAL, "中天门：会长高的山", GEO, 36.2364, 117.1080, 847,
     ("泰山是一座断块山：山体南侧的泰前断裂带使北边的岩块不断抬升、南边相对下降。新生代以来的持续抬升加上流水侵蚀，"
     "造就了泰山南坡层层叠起、拔地通天的气势。中天门大致位于这段登山路的一半高度。")),
    (CENTRAL, "快活三里：油松林带", ECO, 36.2400, 117.1060, 900,
     ("过了中天门，松树渐渐多起来。泰山海拔约800米以上以油松林为主，低处以侧柏林为主，这就是植被的垂直分布："
     "随着海拔升高，温度降低、湿度增加，适合生长的树种也随之更替。")),
    (CENTRAL, "云步桥：瀑布与差异风化", GEO, 36.2430, 117.1045, 1000,
     ("软硬不同的岩石被风化、侵蚀的速度不同：坚硬的岩脉和岩体凸出成陡坎，较软的部分被流水掏蚀下去，"
     "溪流经过陡坎就形成了跌水和瀑布。雨季的云步桥飞瀑就是这样“雕”出来的。")),
    (CENTRAL, "五松亭：古人怎样量山高", HIST, 36.2465, 117.1030, 1100,
     ("古人用“里”计山的高度：汉代文献说泰山“高四十余里”，量的其实是登山路的长度。现代用水准测量和卫星定位，"
     "测得玉皇顶海拔1545米。同一座山，测量方法不同，答案也不同——这正是科学测量不断进步的缩影。")),
    (CENTRAL, "十八盘：陡崖上的台阶", GEO, 36.2500, 117.1015, 1300,
     ("十八盘约1600级台阶，垂直落差约400米，是泰山最陡的一段。这里正是断块抬升形成的陡崖带，"
     "岩体坚硬、节理发育，流水沿节理下切成深谷，只能在谷中凿出盘道登山。")),
    (CENTRAL, "日观峰：日出与大气折射", ASTRO, 36.2550, 117.1075, 1500,
     ("我们看到太阳“升出”地平线时，它其实还在地平线下约半度：大气像一块透镜把阳光折弯，让日出提前约两分钟。"
     "站在高山上，看到的地平线比平地更低，日出又会再早一些。")),
    (CENTRAL, "玉皇顶：极顶与古代测天", HIST, 36.2557, 117.1048, 1545,
     ("玉皇顶是泰山最高点，海拔1545米。古人登高观天象、定方位，泰山顶曾是帝王封禅祭天之处。"
     "北极星的高度角约等于当地纬度：在这里它离地平约36度，古人据此也能粗略测出南北位置。")),
    (TIANWAI, "天外村：山前冲洪积扇", GEO, 36.2012, 117.0920, 200,
     ("山里的溪流一出山口，坡度骤减、流速变慢，携带的砾石和泥沙就在山前堆积成扇形的冲洪积扇。"
     "泰安城就坐落在泰山南麓的冲洪积扇上，地下水丰富，自古宜居。")),
    (TIANWAI, "黑龙潭：流水磨出的壶穴", GEO, 36.2090, 117.0960, 360,
     ("瀑布下的深潭叫壶穴：激流带着砂砾在岩石凹处旋转，年复一年地研磨，把岩石掏成口小肚大的“石壶”。"
     "黑龙潭就是西溪上最大的壶穴之一。")),
    (TIANWAI, "长寿桥：溪流里的生命", ECO, 36.2100, 117.0985, 400,
     ("清澈、低温、含氧量高的山溪是许多水生昆虫幼虫的家。石蛾幼虫、蜉蝣稚虫只能生活在干净的水里，"
     "生态学家把它们当作“指示生物”，看看溪里有没有它们，就知道水质好不好。")),
    (TIANWAI, "傲徕峰：岩缝里的先锋", ECO, 36.2210, 117.0950, 600,
     ("光秃秃的岩壁上，最早“安家”的是地衣和苔藓：它们分泌的酸慢慢溶蚀岩石，积下一点点土壤，"
     "草本和小灌木才能随后扎根。这就是植物群落从无到有的原生演替。")),
    (TIANWAI, "扇子崖：断层与孤峰", GEO, 36.2250, 117.0930, 700,
     ("扇子崖形如一把打开的折扇，是几组断层和节理把岩体切割成块，两侧岩石崩落后留下的孤立陡崖。"
     "细看崖壁，可以找到断层错动时磨出的擦痕。")),
    (TAOHUAYU, "桃花峪：山里的物候", ECO, 36.2648, 117.0520, 300,
     ("植物发芽、开花、落叶的时间叫物候。记录物候是研究气候变化的好方法：近几十年来，许多地方的春花比过去开得更早。"
     "桃花峪的桃花从谷口向上次第开放，是一条看得见的“等温线”。")),
    (TAOHUAYU, "彩石溪：石头上的彩带", GEO, 36.2620, 117.0600, 450,
     ("彩石溪的溪床上，黑、白、红、绿的条纹在流水下格外鲜明。黑色多是角闪石等暗色矿物，白色多是长石和石英，"
     "红色常来自钾长石。它们是太古宙片麻岩与后期侵入的岩脉交织在一起的“地质画卷”。")),
    (TAOHUAYU, "猴愁峪：切穿古老岩石的岩脉", GEO, 36.2600, 117.0700, 600,
     ("岩壁上一条条颜色不同、宽窄一致的“墙”叫岩脉：地下岩浆沿裂隙挤入古老的片麻岩中冷凝而成。"
     "岩脉一定比被它切穿的岩石年轻，地质学家就用这条“切割关系”排出岩石的先后顺序。")),
    (TAOHUAYU, "桃花源：溪流中的赤鳞鱼", ECO, 36.2580, 117.0800, 800,
     ("泰山赤鳞鱼生活在海拔较高、水温低、水质清的山涧中，是泰山特有的名贵鱼类。它对环境十分敏感，"
     "溪水一旦被污染或断流就难以生存，保护它就是保护整条溪流。")),
    (TAOHUAYU, "天烛胜境索道站：落叶阔叶林", ECO, 36.2560, 117.0850, 900,
     ("泰山北坡和西坡比南坡阴湿，麻栎、栓皮栎等落叶阔叶树更多。秋天叶子变黄变红，是因为叶绿素分解后，"
     "胡萝卜素和花青素的颜色显露出来。")),
    (TIANZHU, "天烛峰：花岗岩石柱", GEO, 36.2700, 117.1250, 500,
     ("天烛峰的大小石柱像两支巨大的蜡烛。花岗岩体沿纵横交错的节理风化，棱角先被剥蚀，"
     "剩下的岩块渐渐变圆、变高，形成石柱和石蛋，这叫球状风化。")),
    (TIANZHU, "大天烛峰：崖壁上的油松", ECO, 36.2670, 117.1200, 800,
     ("岩缝中的油松生长极慢，几十年的树可能只有碗口粗，却能抵御大风和干旱。它们的根能顺着裂隙伸进岩石深处，"
     "也在一点点把岩石撑开。")),
    (TIANZHU, "元始天尊庙：北坡的阴与阳", ECO, 36.2620, 117.1150, 1100,
     ("同一海拔，北坡（阴坡）日照少、蒸发弱、土壤湿润，林木更茂密；南坡（阳坡）温暖干燥，多耐旱的植物。"
     "坡向不同，小气候不同，植物群落也就不同。")),
    (TIANZHU, "后石坞：泰山有过冰川吗", HIST, 36.2590, 117.1110, 1300,
     ("20世纪30年代，地质学家李四光等人提出华北山地有第四纪冰川的遗迹，后石坞一带的巨石和“U形谷”曾被当作证据；"
     "后来许多学者认为它们是流水、崩塌和风化形成的。一场持续几十年的争论，让人们对“证据”有了更严谨的要求。")),
    (TIANZHU, "岱顶北望：泰山气象站", HIST, 36.2575, 117.1080, 1450,
     ("从后石坞登上岱顶，东望日观峰上的泰山气象站：它建于1932年，是我国最早的高山气象站之一。山顶风大、云多、气温低，是观测高空天气的理想地点；"
     "几十年连续不断的观测记录，是研究华北气候变化的宝贵资料。")),
]  # fmt: skip

SCHOOL_GROUPS = ["四年级一班", "五年级研学团", "初一年级", "初二（3）班", "高一科技社团"]


def seed(ctx: DemoContext) -> dict[str, int]:
    made: dict[str, int] = {}
    if not Route.unscoped.exists():
        routes, bookings = _seed_routes(ctx)
        made.update({"研学线路": routes, "研学预约": bookings})
    if not TaiPoint.unscoped.exists():
        made["TAI科科普点"] = _seed_points(ctx)
    return made


def _venue(keyword: str, used: set[int]) -> Venue | None:
    return (
        Venue.unscoped.filter(status__in=PUBLIC_STATUSES, region__city__code="370900", name__contains=keyword)
        .exclude(pk__in=used)
        .order_by(Length("name"), "code")  # the plainest name: 泰安…科技馆 before 泰安…科技馆（某镇）
        .first()
    )


def _seed_routes(ctx: DemoContext) -> tuple[int, int]:
    routes = []
    for slug, name, operator_code, region_code, summary, stops in ROUTES[: 1 if ctx.scale == "small" else None]:
        operator = Organisation.unscoped.filter(code=operator_code).first()
        region = Region.objects.filter(code=region_code).first()
        if operator is None or region is None:
            continue
        used: set[int] = set()
        specs = []
        for keyword, minutes, notes in stops:
            venue = _venue(keyword, used)
            if venue is not None:
                used.add(venue.pk)
                specs.append(StopSpec(venue=venue, minutes=minutes, notes=notes))
        if len(specs) < 3:
            continue
        route = services.route_create(
            operator=operator, region=region, slug=slug, name=name, summary=summary, stops=specs,
            audiences=[Audience.YOUTH], group_min=20, group_max=60, max_groups_per_day=3,
        )  # fmt: skip
        routes.append(services.route_publish(route=route))
    return len(routes), _seed_bookings(ctx, routes)


def _seed_bookings(ctx: DemoContext, routes: list[Route]) -> int:
    teacher = User.objects.filter(phone="13800000000").first() or User.objects.filter(kind=UserKind.CITIZEN).order_by("pk").first()
    schools = list(Organisation.unscoped.filter(kind=OrganisationKind.SCHOOL, region__city__code="370900").order_by("code")[:6])
    if teacher is None or not schools:
        return 0
    today = timezone.localdate()
    count = 0
    for r, route in enumerate(routes):
        for k in range(3 if ctx.scale != "small" else 1):
            school = schools[(r + k) % len(schools)]
            phone = ctx.fake.phone_number()
            booking = services.booking_create(
                route=route, user=teacher, day=today + timedelta(days=3 + 4 * k + r), party_size=ctx.rng.choice([35, 42, 48, 55]),
                group_name=f"{school.name}{SCHOOL_GROUPS[(r + k) % len(SCHOOL_GROUPS)]}", contact_name=ctx.fake.name(),
                contact_phone=phone if CONTACT_RE.match(phone) else "13800000000",
            )  # fmt: skip
            if k == 0:
                services.booking_confirm(booking=booking)
            count += 1
    return count


def _seed_points(ctx: DemoContext) -> int:
    owner = Organisation.unscoped.filter(code="KX370972").first() or Organisation.unscoped.filter(code="KX370902").first()
    region = Region.objects.filter(code="370902202").first()  # 大津口乡, administered by 泰山景区
    if owner is None or region is None:
        return 0
    per_trail: dict[str, int] = {}
    count = 0
    for trail, name, theme, lat, lon, elevation, body in POINTS:
        per_trail[trail] = per_trail.get(trail, 0) + 1
        if ctx.scale == "small" and per_trail[trail] > 2:
            continue
        services.point_create(
            owner=owner, region=region, name=name, trail=trail, theme=theme, body=body, lat=lat, lon=lon, elevation_m=elevation,
            is_published=True,
        )  # fmt: skip
        count += 1
    return count
