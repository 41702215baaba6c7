"""Plausible Chinese names for samples: people, companies under a recommending unit, teams, phones.

Companies follow how real member companies are named under each kind of unit (a central
enterprise's subsidiaries carry its short name; a provincial association's members carry the
province), so unit matching and team matching see realistic text, not placeholders.
"""

from __future__ import annotations

import random
import re

from core.reference import RecommendingUnit

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红春文斌宇浩凯鹏飞鑫波宁健峰亮成辉玉萍海燕雪梅晓东晨阳俊杰子涵思远振华永庆德胜国强立新卫东光明"
CENTRAL_SHORT = {
    "中国建筑股份有限公司": ("中建", ["一局", "二局", "三局", "四局", "五局", "七局", "八局"], "建设有限公司"),
    "中国中铁股份有限公司": ("中铁", ["一局", "三局", "四局", "七局", "九局", "十局", "大桥局", "隧道局"], "工程有限公司"),
    "中国铁建股份有限公司": ("中铁", ["十一局", "十二局", "十四局", "十五局", "十八局", "二十局", "建工"], "工程有限公司"),
    "中国交通建设集团有限公司": ("中交", ["一公局", "二公局", "三航局", "四航局", "路桥", "一航局"], "工程有限公司"),
    "中国机械工业建设集团有限公司": ("中国机械工业", ["第一", "第二", "第四", "第五"], "建设集团有限公司"),
    "中国新兴集团有限责任公司": ("新兴", ["建设", "际华", "重工"], "工程有限公司"),
    "中国航天科工集团有限公司": ("航天", ["建设", "科工"], "工程有限公司"),
}
FIRM_WORDS = "华宏建鸿盛昌泰安达远通恒兴宇振鼎隆嘉信诚中润天和永祥广瑞新城丰"
FIRM_TAILS = ("建设集团有限公司", "建工集团有限责任公司", "建筑工程有限公司", "建设工程有限公司",
              "市政工程有限公司", "安装工程有限公司", "路桥建设有限公司", "第一建筑工程有限公司")
INDUSTRY_FIRMS = {
    "冶金": "冶建", "有色": "有色建设", "煤炭": "煤炭建设", "石油": "石油工程", "石化": "石化工程",
    "化工": "化学工程", "电力": "电力建设", "水利": "水利水电", "建材": "建材工程", "铁路": "通号工程",
    "水运": "港航工程", "安装": "安装工程", "解放军": "工程建设", "通信": "通信建设", "铁道": "铁路工程",
    "核能": "核工业建设", "市政": "市政工程",
}
TEAM_KINDS = ("钢筋班组", "混凝土班组", "测量班组", "防水班组", "幕墙安装班组", "机电安装班组", "盾构班组",
              "架梁班组", "钢结构安装班组", "精装修班组", "模板班组", "路面班组", "砌筑班组", "焊接班组",
              "电气安装班组", "隧道开挖班组", "给排水班组", "试验检测班组")
CITIES = ("南京", "苏州", "杭州", "宁波", "济南", "青岛", "郑州", "武汉", "长沙", "成都", "西安", "合肥",
          "福州", "厦门", "广州", "深圳", "南宁", "昆明", "贵阳", "兰州", "乌鲁木齐", "太原", "石家庄", "沈阳")
PROVINCE_RE = re.compile(r"^(内蒙古|黑龙江|新疆|西藏|广西|宁夏|北京|天津|上海|重庆|深圳|广州|青岛|.{2})")


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def mobile(rng: random.Random) -> str:
    return rng.choice(("13", "15", "18", "17")) + "".join(str(rng.randint(0, 9)) for _ in range(9))


def email(rng: random.Random, name_hint: str = "") -> str:
    user = "".join(rng.choice("abcdefghjkmnpqrstwxyz") for _ in range(rng.randint(4, 7)))
    return f"{user}{rng.randint(1, 999)}@{rng.choice(('163.com', 'qq.com', '126.com', 'sina.com'))}"


def region_of(unit: str) -> str:
    """The region word a unit's member companies carry (江苏省建筑行业协会 -> 江苏)."""
    m = PROVINCE_RE.match(unit)
    return m.group(1) if m else unit[:2]


def company(rng: random.Random, unit: RecommendingUnit | str, kind: str = "regional_association") -> str:
    """A member company of the unit, named the way such companies are named."""
    name = unit.name if isinstance(unit, RecommendingUnit) else unit
    kind = unit.kind if isinstance(unit, RecommendingUnit) else kind
    if name in CENTRAL_SHORT:
        short, branches, tail = CENTRAL_SHORT[name]
        sub = rng.choice(("第一", "第二", "第三", "第五", "")) if short in ("中建", "中铁", "中交") else ""
        return f"{short}{rng.choice(branches)}{sub}{tail}"
    word = "".join(rng.sample(FIRM_WORDS, 2))
    if kind == "industry_association":
        trade = next((v for k, v in INDUSTRY_FIRMS.items() if k in name), "工程建设")
        return f"{rng.choice(CITIES)}{word}{trade}有限公司"
    return f"{region_of(name)}{word}{rng.choice(FIRM_TAILS)}"


def team_name(rng: random.Random, company_name: str, kind: str | None = None) -> tuple[str, str]:
    """(full team name as the letter writes it, short kind used in the team id)."""
    kind = kind or rng.choice(TEAM_KINDS)
    project = rng.choice(("", "", f"{rng.choice(CITIES)}地铁项目", f"{rng.choice(CITIES)}大桥项目",
                          "总承包项目部", "第二项目部"))
    return f"{company_name}{project}{kind}", kind


def team_id(rng: random.Random, kind: str, used: set[str]) -> str:
    """`A0137-钢筋班组`: a letter, four digits and the team kind, unique within the inbox."""
    while True:
        tid = f"{rng.choice('ABCDE')}{rng.randint(1, 9999):04d}-{kind}"
        if tid not in used:
            used.add(tid)
            return tid


def achievement(rng: random.Random, kind: str) -> str:
    """成果名称 of a team, e.g. 提高钢筋直螺纹连接一次验收合格率."""
    subject = kind.replace("班组", "")
    item = rng.choice(("施工质量一次验收合格率", "工序交接合格率", "成型质量合格率", "关键工序一次合格率",
                       "施工精度达标率", "质量通病防治合格率"))
    verb = rng.choice(("提高", "提升", "确保"))
    return f"{verb}{subject}{item}"
