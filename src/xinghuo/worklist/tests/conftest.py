"""What the work-list tests share: a small plan in the seeds' shape, loaded the way `load_worklist` loads the real one."""

from __future__ import annotations

import pytest

from xinghuo.organisations.base_data import city_association
from xinghuo.worklist.loading import Loaded, load

PLANS = [{"code": "sample", "title": "“星火科普”专项行动方案（样例）", "seed": "001_6f5861a11245c86d.txt", "issued": "2024"}]
TASKS = [
    {
        "plan": "sample", "code": "S-4.1.1", "section": "四、重点工作（一）持续优化升级已开展工作", "title": "持续做好“三百三进”科技服务专项行动",
        "text": "进一步优化内容、征集需求，每年市级开展示范活动10-20期。", "lead": ["科普部"], "units": ["县市区、功能区科协", "市科技馆", "乡村振兴服务队"],
        "targets": [{"text": "每年市级开展示范活动10-20期", "min": 10, "max": 20, "unit": "期", "per": "year", "indicator": "activities_sanbai_city"}],
        "period": "每年",
        "children": [
            {"code": "S-4.1.1-1", "section": "", "title": "流动科技馆进基层", "text": "开展流动科技馆进基层活动。", "lead": [], "units": ["市科技馆"],
             "targets": [], "period": "", "children": []},
        ],
    },
    {
        "plan": "sample", "code": "S-4.1.2", "section": "四、重点工作（一）持续优化升级已开展工作", "title": "优化科普品牌活动",
        "text": "举办“科普之春”系列活动。", "lead": ["科普部", "学会部"], "units": [], "targets": [], "period": "", "children": [],
    },
]  # fmt: skip


@pytest.fixture
def loaded(db) -> Loaded:
    return load(plans=PLANS, tasks=TASKS, city=city_association())
