"""The sentence writer behind `report_text.make_report`: one method per section of the template.

Content comes from a construction domain's vocabulary (data/similarity/report_vocab.toml) with random
people, places, projects and numbers, so that generated reports differ in their own words.
"""

from __future__ import annotations

import random
import tomllib
from functools import lru_cache
from typing import Any

from pipeline.samples.report_constants import STANDARD_WORDING, VOCAB_PATH


@lru_cache
def vocab() -> dict[str, Any]:
    with VOCAB_PATH.open("rb") as fh:
        return tomllib.load(fh)


def _pool(name: str) -> list[str]:
    return vocab()["pools"][name]


def domains() -> list[str]:
    """Names of the construction domains the generator knows (钢筋, 混凝土, …)."""
    return [d["name"] for d in vocab()["domain"]]


def _domain(rng: random.Random, team: str, topic: str | None) -> dict[str, Any]:
    doms = vocab()["domain"]
    if topic:
        for d in doms:
            if d["name"] == topic or d["name"] in topic:
                return d
    for d in doms:
        if d["name"] in team or any(t[:-2] and t[:-2] in team for t in d["teams"]):
            return d
    return rng.choice(doms)


def _person(rng: random.Random) -> str:
    v = vocab()
    return rng.choice(v["surnames"]) + "".join(rng.choices(v["given_chars"], k=rng.choice((1, 2, 2))))


def _pct(rng: random.Random, lo: float, hi: float) -> float:
    return round(rng.uniform(lo, hi), 1)


class _Writer:
    """Composes one report's sentences; variants and slots keep fixed wording short."""

    def __init__(self, rng: random.Random, team: str, company: str, year: int, dom: dict[str, Any]):
        self.r = rng
        self.team, self.company, self.year, self.d = team, company, year, dom
        v = vocab()
        self.city = rng.choice(v["cities"])
        self.project = (
            self.city
            + rng.choice(v["districts"])
            + rng.choice(v["project_names"])
            + rng.choice(v["project_kinds"])
        )
        self.item = rng.choice(dom["items"])
        self.element = rng.choice(dom["elements"])
        self.leader = _person(rng)
        self.members = rng.randint(6, 16)
        self.before = _pct(rng, 72, 88)
        self.target = round(min(99.0, self.before + rng.uniform(6, 14)), 1)
        self.after = round(min(99.6, self.target + rng.uniform(0.3, 3.5)), 1)
        self.causes = rng.sample(dom["causes"], k=min(len(dom["causes"]), rng.randint(6, 8)))
        self.key_causes = self.causes[: rng.randint(3, 4)]
        self.measures = rng.sample(dom["measures"], k=len(self.key_causes))
        self.tools = rng.sample(dom["tools"], k=min(3, len(dom["tools"])))
        self.std = rng.choice(dom["standard"])
        self.month = rng.randint(1, 6)

    def c(self, *options: str) -> str:
        return self.r.choice(options)

    def date(self, offset: int, day: int | None = None) -> str:
        m = (self.month + offset - 1) % 12 + 1
        return f"{self.year}年{m}月{day or self.r.randint(1, 28)}日"

    def wrap_up(self, subject: str) -> str:
        """A section's closing remark (小结), composed so that no two reports share it word for word."""
        r = self.r
        return (
            f"小结：{self.c('本阶段', '通过', '经过')}{subject}，"
            + f"{self.c('班组', '全体组员', '活动小组')}{r.choice(_pool('remark_mid'))}{self.element}{self.item}"
            + f"{r.choice(_pool('remark_end'))}，{self.c('为下一步', '为后续', '为')}{r.choice(_pool('next_step'))}"
            + f"{self.c('打下了基础。', '提供了依据。', '创造了条件。')}"
        )

    # ------------------------------------------------------------------ sections

    def overview(self) -> list[str]:
        r, v = self.r, vocab()
        founded = self.year - r.randint(2, 12)
        avg_age = r.randint(28, 41)
        honors = "、".join(r.sample(v["honors"], k=r.randint(1, 3)))
        paras = [
            f"{self.team}隶属于{self.company}，成立于{founded}年，"
            + self.c("现有成员", "共有组员", "班组现有")
            + f"{self.members}人，平均年龄{avg_age}岁，"
            + f"其中{r.choice(['本科', '大专'])}及以上学历{r.randint(2, self.members)}人，"
            + f"{self.c('高级工', '技师', '中级工')}{r.randint(1, 5)}人。"
            + self.c(f"班组先后获得{honors}等荣誉。", f"近年来荣获{honors}称号。", f"曾获{honors}。"),
            f"班组目前承担{self.project}的{self.d['name']}"
            + self.c("施工任务", "作业任务", "专业施工")
            + f"，工程总建筑面积约{r.randint(3, 60) * 1000 + r.randint(0, 999)}平方米，"
            + self.c("合同工期", "计划工期", "总工期")
            + f"{r.randint(300, 1200)}日历天，"
            + self.c(
                f"质量目标为{r.choice(['鲁班奖', '国家优质工程奖', '省级优质工程', '詹天佑奖'])}。",
                f"确保获得{r.choice(['省优', '市优质结构', '鲁班奖', '中国安装之星'])}。",
            ),
            f"本工程{r.choice(_pool('structure'))}，{self.c('地上', '主体')}{r.randint(3, 58)}层、地下{r.randint(1, 5)}层，"
            + f"{self.d['name']}{self.c('工程量', '作业量')}约{r.randint(800, 90000)}"
            + f"{self.c('吨', '立方米', '平方米', '延米')}，"
            + f"主要{self.c('难点', '特点')}是{r.choice(self.d['elements'])}{self.c('部位', '区域')}"
            + f"{r.choice(_pool('difficulty'))}，{r.choice(self.d['items'])}{self.c('控制要求高', '控制难度大', '管控压力大')}。",
            r.choice(STANDARD_WORDING[:3]),
        ]
        rows = ["班组成员情况：序号 姓名 性别 年龄 文化程度 职务 组内分工"]
        for i in range(1, r.randint(7, 11)):
            rows.append(
                f"{i} {self.leader if i == 1 else _person(r)} {r.choice('男男男男女')} {r.randint(22, 55)} "
                f"{r.choice(v['educations'])} {'班组长' if i == 1 else r.choice(v['titles'])} "
                f"{r.choice(['组织协调', '现场实施', '数据收集', '质量检查', '效果验证', '资料整理', '技术指导'])}"
            )
        paras.append("\n".join(rows))
        paras.append(
            f"活动时间：{self.date(0)}至{self.date(r.randint(5, 9))}，"
            f"活动次数{r.randint(10, 30)}次，出勤率{_pct(r, 92, 100)}%。"
        )
        a, b = r.sample(_pool("slogan_words"), 2)
        paras.append(
            f"班组{self.c('口号', '理念', '精神')}：“{a}{self.d['name']}，{b}{r.choice(_pool('slogan_ends'))}”。"
            + f"班组坚持{self.c('每周', '每旬', '每月')}{self.c('召开一次', '组织一次', '开展一次')}"
            + self.c("质量讲评会", "技术交底会", "活动例会")
            + f"，建立了{'、'.join(r.sample(_pool('systems'), 3))}等制度。"
        )
        plan = ["活动计划：阶段 内容 计划时间 实际时间"]
        for k, phase_step in enumerate(_pool("phases")):
            phase, step = phase_step.split(" ", 1)
            plan.append(
                f"{phase} {step} {self.date(k * 2 // 3, day=3 + k * 2)} {self.date(k * 2 // 3, day=4 + k * 2)}"
            )
        paras.append("\n".join(plan))
        return paras

    def reasons(self) -> list[str]:
        r = self.r
        return [
            self.c("选题理由：", "（一）选题理由")
            + f"1. {self.company}"
            + self.c("要求", "规定", "明确提出")
            + f"{self.d['name']}工程{self.item}合格率达到{round(self.target - r.uniform(0, 3), 1)}%以上；"
            + f"2. {self.project}{self.element}{self.item}"
            + self.c("检查合格率仅为", "实测合格率为", "抽查合格率只有")
            + f"{self.before}%，"
            + self.c("与要求差距较大", "达不到公司要求", "影响后续工序施工")
            + f"；3. {self.item}问题"
            + self.c("返工造成材料和工期损失", "易引发业主投诉", "直接影响结构安全和使用功能")
            + "。",
            f"{self.c('活动目标', '（二）活动目标')}：将{self.element}{self.item}合格率由{self.before}%"
            + f"{self.c('提高到', '提升至', '提高至')}{self.target}%。",
            f"目标可行性分析：{self.c('同类工程', '兄弟单位', '公司其他项目')}"
            + f"{self.item}合格率{self.c('可达', '达到过', '最高为')}{round(self.target + r.uniform(0.5, 4), 1)}%；"
            + f"班组拥有{'、'.join(self.tools[:2])}等设备，"
            + self.c("技术力量较强", "成员经验丰富", "具备实现目标的条件")
            + f"；若解决主要问题的{r.randint(70, 90)}%，合格率可达{round(self.target + r.uniform(0.1, 2), 1)}%，"
            + self.c("目标可以实现。", "因此目标可行。", "目标设定合理。"),
        ]

    def survey(self) -> list[str]:
        r = self.r
        points = r.randint(200, 900)
        bad = round(points * (100 - self.before) / 100)
        kinds = r.sample(self.d["items"], k=4)
        kinds[0] = self.item
        self.kinds = kinds
        counts = sorted(_split(r, bad, len(kinds)), reverse=True)
        rows = ["序号 问题类型 频数 频率(%) 累计频率(%)"]
        acc = 0.0
        for i, (k, n) in enumerate(zip(kinds, counts, strict=True), 1):
            f = round(100 * n / max(bad, 1), 1)
            acc = min(100.0, round(acc + f, 1))
            rows.append(f"{i} {k}问题 {n} {f} {acc}")
        return [
            f"{self.date(0)}至{self.date(1)}，班组对{self.project}"
            + self.c("已完成的", "施工中的", "首批")
            + f"{self.element}进行{self.c('全面检查', '现场实测', '抽样调查')}，"
            + f"共检查{points}{self.c('点', '处', '个测点')}，不合格{bad}{self.c('点', '处', '个')}，"
            + f"合格率为{self.before}%。",
            "\n".join(rows),
            f"制表人：{_person(r)}  制表时间：{self.date(1)}",
            self._second_layer(counts[0]),
            self.c("由调查表和排列图可以看出", "从排列图可知", "通过分析可见")
            + f"，{self.item}问题{self.c('占不合格总数的', '累计频率达到', '所占比例为')}"
            + f"{round(100 * counts[0] / max(bad, 1), 1)}%，"
            + self.c("是影响质量的主要症结。", "是需要解决的主要问题。", "是本次活动的症结所在。"),
        ]

    def _second_layer(self, total: int) -> str:
        r = self.r
        places = r.sample(_pool("places"), 4)
        counts = sorted(_split(r, total, 4), reverse=True)
        rows = [f"对{self.item}问题按{self.c('部位', '楼层', '施工段')}进一步分层：部位 频数 频率(%)"]
        rows += [
            f"{pl} {n} {round(100 * n / max(total, 1), 1)}" for pl, n in zip(places, counts, strict=True)
        ]
        rows.append(
            f"{places[0]}{self.c('问题最为集中', '出现次数最多', '占比最大')}，"
            + f"{self.c('班组将其作为重点', '是分析的重点', '应优先解决')}。"
            + self.wrap_up("现状调查")
        )
        return "\n".join(rows)

    def causes_section(self) -> list[str]:
        r = self.r
        cats = ["人", "机", "料", "法", "环", "测"]
        r.shuffle(cats)
        text = [
            f"{self.date(1)}，班组长{self.leader}组织全体成员"
            + self.c("召开原因分析会", "运用头脑风暴法", "集思广益")
            + f"，从{'、'.join(cats)}{len(cats)}个方面对{self.item}问题进行分析，"
            + self.c("绘制因果图如下。", "采用关联图进行整理。", "结果整理成系统图。")
        ]
        for i, cause in enumerate(self.causes, 1):
            text.append(
                self.c(
                    f"末端因素{i}：{cause}（{cats[i % len(cats)]}）。",
                    f"（{i}）{cats[i % len(cats)]}方面：{cause}。",
                    f"{i}. {cause}，属{cats[i % len(cats)]}的因素。",
                    f"因素{i}——{cause}：",
                )
                + self.c("表现为", "现场发现", "调查中发现", "具体表现：")
                + f"{r.choice(self.d['elements'])}{self.c('部位', '施工中', '作业时')}"
                + f"{r.choice(_pool('symptoms'))}，{self.c('共记录', '统计到', '累计发现')}{r.randint(3, 40)}次。"
            )
        text.append(
            f"{self.c('通过分析', '经整理', '经过讨论')}，共找出{len(self.causes)}条末端因素。"
            + r.choice(STANDARD_WORDING[3:5])
        )
        return ["\n".join(text[:1]), "\n".join(text[1:-1]), text[-1]]

    def confirm(self) -> list[str]:
        r = self.r
        out = []
        for i, cause in enumerate(self.causes, 1):
            key = cause in self.key_causes
            n = r.randint(20, 120)
            fails = r.randint(6, 25) if key else r.randint(0, 3)
            out.append(
                self.c(f"要因确认{i}：{cause}。", f"确认{i}.“{cause}”", f"（{i}）末端因素“{cause}”的确认。")
                + self.c("确认方法：", "确认方式：")
                + self.c("现场验证", "调查分析", "现场测量", "试验对比")
                + f"；确认人：{_person(r)}；时间：{self.date(r.randint(1, 2))}。"
                + f"确认标准：{r.choice(_pool('criteria')).format(n=r.randint(2, 10), p=r.randint(85, 98))}。"
                + f"{self.c('班组抽查', '随机抽取', '现场检查')}{n}{self.c('处', '组', '点')}，"
                + self.c(
                    f"{self.c('发现', '其中', '存在')}{fails}处与之相关的缺陷，",
                    f"查出由此导致的问题{fails}处，",
                    f"{fails}处不合格与该因素有关，",
                    f"统计因此造成的偏差共{fails}处，",
                )
                + (
                    self.c("对症结影响程度大，确认为要因。", "影响显著，结论：要因。")
                    if key
                    else self.c("对症结影响较小，确认为非要因。", "影响不明显，结论：非要因。")
                )
            )
        out.append(f"经确认，{'、'.join(self.key_causes)}为要因。" + self.wrap_up("要因确认"))
        return out

    def plans(self) -> list[str]:
        r = self.r
        rows = ["序号 要因 对策 目标 措施 地点 完成时间 负责人"]
        for i, (cause, m) in enumerate(zip(self.key_causes, self.measures, strict=True), 1):
            rows.append(
                f"{i} {cause} {m} {self.c('合格率100%', '考核合格率100%', '偏差≤' + str(r.randint(2, 8)) + 'mm')} "
                f"{self.c('编制方案并交底', '制作样板', '培训考核', '购置专用工具')} "
                f"{self.c('施工现场', '加工场', '项目部会议室')} {self.date(r.randint(2, 4))} {_person(r)}"
            )
        return [
            f"针对{len(self.key_causes)}条要因，班组按照5W1H原则制定对策表。",
            "\n".join(rows),
        ]

    def implement(self) -> list[str]:
        r = self.r
        out = []
        for i, (cause, m) in enumerate(zip(self.key_causes, self.measures, strict=True), 1):
            tool = r.choice(self.d["tools"])
            mat = r.choice(self.d["materials"])
            n = r.randint(30, 200)
            ok = n - r.randint(0, 3)
            steps = "".join(
                f"（{k}）{r.choice(_pool('step_verbs'))}{r.choice([tool, mat, self.element, self.item, m])}"
                f"{r.choice(_pool('step_tails')).format(n=r.randint(2, 60), p=_pct(r, 85, 100))}；"
                for k in range(1, r.randint(4, 6))
            )
            out.append(f"实施{i}步骤：{steps}")
            out.append(
                self.c(f"实施{i}：{m}。", f"对策{i}“{m}”的实施：", f"（{i}）{m}。")
                + f"{self.date(r.randint(2, 4))}，"
                + self.c(f"由技术员{_person(r)}负责", f"{_person(r)}牵头", f"班组长{self.leader}带领组员")
                + f"针对“{cause}”，"
                + self.c(f"结合{self.element}特点", f"参照{self.std}", "在总结以往经验的基础上")
                + f"，{self.c('选用', '配备', '采用')}{tool}及{mat}，"
                + self.c(
                    "编制专项作业指导书并进行交底", "组织全员实操培训", "在样板段先行试验", "细化施工工艺参数"
                )
                + f"，共培训{r.randint(8, 40)}人次。"
                + f"实施效果：{self.c('抽查', '检查', '复查')}{n}处，合格{ok}处，"
                + f"合格率{round(100 * ok / n, 1)}%，{self.c('对策目标实现。', '达到对策目标。', '目标完成。')}"
            )
            checks = [f"对策{i}检查记录：日期 检查数 合格数 合格率(%)"]
            for k in range(r.randint(2, 4)):
                m_n = r.randint(20, 90)
                m_ok = m_n - r.randint(0, 2)
                checks.append(f"{self.date(3 + k, day=5 + 7 * k)} {m_n} {m_ok} {round(100 * m_ok / m_n, 1)}")
            out.append("\n".join(checks))
        out.append(self.wrap_up("对策实施"))
        return out

    def effect(self) -> list[str]:
        r = self.r
        pts = r.randint(200, 900)
        bad = round(pts * (100 - self.after) / 100)
        cost = round(r.uniform(3, 80), 2)
        after = ["活动后问题调查：序号 问题类型 频数 频率(%)"]
        after_counts = sorted(_split(r, max(bad, 4), 4), reverse=True)
        for i, (k, n) in enumerate(zip(self.kinds[1:] + self.kinds[:1], after_counts, strict=True), 1):
            after.append(f"{i} {k}问题 {n} {round(100 * n / max(bad, 4), 1)}")
        rows = ["无形效果评价：项目 活动前 活动后"]
        for k in r.sample(_pool("soft"), 5):
            before = round(r.uniform(2.5, 3.8), 1)
            rows.append(f"{k} {before} {round(min(5.0, before + r.uniform(0.4, 1.3)), 1)}")
        return [
            f"活动前后对比：活动前合格率{self.before}%，目标值{self.target}%，活动后{self.after}%，"
            + f"{self.item}问题{self.c('由', '从')}{r.randint(30, 120)}{self.c('点', '处')}"
            + f"{self.c('下降到', '减少到', '降至')}{r.randint(3, 20)}{self.c('点', '处')}，"
            + self.c("症结得到解决。", "原症结已不再是主要问题。", "问题得到有效控制。")
            + self.wrap_up("效果检查"),
            "\n".join(after),
            "\n".join(rows),
            f"{self.date(r.randint(4, 6))}，班组对"
            + self.c("对策实施后的", "新施工的", "后续施工的")
            + f"{self.element}进行检查，共检查{pts}点，不合格{bad}点，合格率达到{self.after}%，"
            + f"{self.c('高于', '超过', '实现了')}活动目标{self.target}%。",
            f"经济效益：减少返工{r.randint(20, 300)}处，节约"
            + self.c("人工费", "材料费", "返修费用")
            + f"{round(cost * r.uniform(0.3, 0.6), 2)}万元，"
            + f"扣除活动投入{round(cost * r.uniform(0.05, 0.2), 2)}万元，"
            + f"{self.c('共计', '合计', '净')}创效{cost}万元。",
            "社会效益："
            + self.c(
                f"活动成果得到{self.city}质监站的肯定，",
                f"项目迎接{r.choice(['省', '市', '集团'])}级观摩{r.randint(1, 6)}次，",
                "建设单位和监理单位给予高度评价，",
            )
            + r.choice(STANDARD_WORDING[5:7]),
        ]

    def consolidate(self) -> list[str]:
        r = self.r
        doc = f"《{self.element}{self.item}控制作业指导书》"
        return [
            f"1. {self.c('将有效措施整理为', '编制了', '形成')}{doc}，"
            + f"{self.c('经公司总工程师审批', '报公司技术部门审核', '经项目总工审定')}，编号{r.choice('QJSZYB')}"
            + f"{self.year}-{r.randint(1, 99):02d}。",
            f"2. {self.c('在', '于')}{self.date(r.randint(6, 8))}"
            + self.c("至", "—")
            + f"{self.date(r.randint(8, 10))}对巩固期进行跟踪检查，"
            + f"合格率分别为{_pct(r, self.after - 1, 99.5)}%、{_pct(r, self.after - 1, 99.5)}%、"
            + f"{_pct(r, self.after - 1, 99.5)}%，{self.c('效果稳定。', '保持良好水平。', '巩固效果良好。')}",
            f"3. {self.c('将', '把')}{r.choice(self.measures)}{self.c('纳入', '列入', '写入')}"
            + f"{self.company}{self.c('企业工法', '施工工艺标准', '质量管理制度')}，"
            + f"在{r.choice(vocab()['cities'])}{r.choice(vocab()['project_names'])}等{r.randint(2, 6)}个项目推广应用。",
        ]

    def summary(self) -> list[str]:
        r = self.r
        gains = r.sample(
            ["质量意识", "团队精神", "解决问题的能力", "QC知识运用", "创新意识", "工作热情"], k=3
        )
        nxt = r.choice([i for i in self.d["items"] if i != self.item])
        extra = [
            f"{self.c('技术方面', '专业技术方面')}：{r.choice(self.measures)}{r.choice(_pool('lessons'))}，"
            + f"{r.choice(self.tools)}{self.c('的使用更加熟练', '的操作更加规范', '的维护形成制度')}。",
            f"{self.c('管理方面', '管理方法方面')}：班组{r.choice(_pool('mgmt'))}，"
            + f"{r.choice(vocab()['tools_generic'])}、{r.choice(vocab()['tools_generic'])}"
            + self.c("等工具运用得当。", "等方法的运用还需加强。", "的应用有待提高。"),
        ]
        return extra + [
            f"通过本次活动，班组成员{'、'.join(gains)}"
            + self.c("均有明显提高。", "得到全面提升。", "都有较大进步。")
            + r.choice(STANDARD_WORDING[7:]),
            f"下一步打算：班组将以“{nxt}”为新的课题，"
            + self.c("继续开展质量信得过班组活动", "持续开展质量改进", "再接再厉")
            + f"，{self.c('力争', '争取', '确保')}{self.year + 1}年"
            + self.c("取得更好成绩。", "再上新台阶。", "在同类工程中推广。"),
        ]


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """`total` split into `parts` positive counts, the first one the largest share (a Pareto-like table)."""
    total = max(total, parts)
    weights = [rng.uniform(0.45, 0.7)] + [rng.uniform(0.05, 0.2) for _ in range(parts - 1)]
    s = sum(weights)
    counts = [max(1, round(total * w / s)) for w in weights]
    counts[0] += total - sum(counts)
    return counts
