"""The template of a team achievement report: its headings and the activity's standard wording."""

from __future__ import annotations

from pathlib import Path

VOCAB_PATH = Path(__file__).resolve().parents[2] / "data" / "similarity" / "report_vocab.toml"

HEADINGS = (
    "一、班组概况",
    "二、选题理由及活动目标",
    "三、现状调查",
    "四、原因分析",
    "五、要因确认",
    "六、制定对策",
    "七、对策实施",
    "八、效果检查",
    "九、巩固措施",
    "十、总结及下一步打算",
)

# The activity's standard wording and quotations of the rules: every real report repeats some of it.
STANDARD_WORDING = (
    "班组以提升产品、服务、工作质量为目标，以内、外部顾客及其他相关方为焦点，注重现场管理，各项基础管理工作健全、落实。",
    "班组成员牢固树立质量意识和服务意识，在个人综合素质、业务技能水平、执行力和创新力等方面持续提升。",
    "班组成员积极参与群众性质量改进活动，运用质量管理理论和方法，有组织地开展班组活动和质量改进活动。",
    "本次活动严格按照《工程建设质量信得过班组活动准则》（中施企协 T/ZSQX 021-2023）的要求开展。",
    "班组近三年无质量、安全、环保事故。",
    "班组活动目标完成率在本组织突出，班组产品、服务质量达到同行业、同工序先进水平。",
    "现场活动记录齐全，活动提升的结果得到顾客确认，满意程度高。",
    "为践行全面质量管理理念，提升班组质量管理水平以及员工素质，班组按照PDCA循环有序开展活动。",
    "树立为顾客和其他相关方创造价值的核心理念，提升企业、班组核心竞争力，助力行业高质量发展。",
)


PAGE_CHARS = 680  # a printed A4 page of a report holds roughly this many characters
