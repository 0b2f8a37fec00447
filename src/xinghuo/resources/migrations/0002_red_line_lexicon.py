"""The first red-line lexicon (底线、红线词库): terms that mark superstition, pseudo-science, fraud in science's name
and false health claims, as the work plan asks the association to guard against (四.8: 坚决破除封建迷信思想 …
整治网络传播中以科普名义欺骗群众的行为). City staff keep it from the console; a hit only flags a passage for the
reviewer, who decides."""

from django.db import migrations

TERMS = {
    "superstition": ["算命", "看风水", "风水宝地", "开光", "转运", "改运", "驱邪", "招财符", "占卜", "八字合婚", "鬼神", "通灵", "灵符"],
    "pseudoscience": ["永动机", "量子波动速读", "量子养生", "能量水", "水知道答案", "酸碱体质", "意念致动", "特异功能", "磁化水治病",
                      "负离子治百病", "排毒养颜", "以形补形"],
    "fraud": ["稳赚不赔", "保本高收益", "内部原始股", "躺赚", "拉人头", "免费领鸡蛋", "高额返利", "区块链养老", "虚拟币理财"],
    "medical": ["包治百病", "根治", "祖传秘方", "神药", "无副作用", "药到病除", "抗癌神器", "一次见效", "治愈率100%", "干细胞包治"],
}  # fmt: skip


def create(apps, schema_editor):
    RedLineTerm = apps.get_model("resources", "RedLineTerm")
    for category, terms in TERMS.items():
        for term in terms:
            RedLineTerm.objects.get_or_create(term=term, defaults={"category": category})


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
