"""Reply check (答复质量检查): warn when a unit's reply does not address the citizen's appeal.

A deliberately simple, explainable check — every warning says why, in Simplified Chinese, and carries
its evidence. Pure Python, no Django. Steps:

1. Both texts go through :func:`huying.dispatch.normalize.normalize_text`.
2. The reply is cut into clauses (at 。!?;:, and spaces). A clause is *formula* (套话) when it is a
   salutation (``网友“…”:您好``), an acknowledgement (``留言已收悉``), a lead-in (``现将有关情况回复如下``),
   thanks (``感谢您对我们工作的支持``), a closing (``特此回复``, ``如有疑问请致电…``), a date or a
   signature (``××局 2019年1月1日``); *transfer* (转办) when it only says the matter was passed on
   (``已转市住建局调查处理``). What is left is the substantive text; quoted echoes of the appeal
   (``您反映的“××小区停车难”``) do not count towards its length.
3. Relevance (``score``, 0..1) is an IDF-weighted overlap of character bigrams between the appeal and
   the reply's non-formula text: Σ idf(shared) / √(Σ idf(appeal) · Σ idf(reply)) over bigram *sets*.
   The IDF table is small and built in (bigrams frequent in the calibration corpus; anything else gets
   ``default_idf``), so the check works without any data files. Bigrams beat jieba words on the
   calibration corpus (see ``bench/replycheck.py``); ``tokenizer="jieba"`` is available when jieba
   is importable and falls back to bigrams otherwise.
4. Warnings (stable ``code``): ``too_short``, ``boilerplate``, ``transfer_only``, ``off_topic``,
   ``no_action`` and, when other replies are given, ``duplicate``. ``ok`` is true when there are none.

Thresholds in :data:`DEFAULT` were picked by ``bench/replycheck.py`` on a calibration half of
``messages_with_replies.csv`` (2,816 real appeal/reply pairs) and checked on the other half.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .normalize import normalize_text

__all__ = [
    "DEFAULT",
    "ReplyCheck",
    "ReplyCheckConfig",
    "ReplyWarning",
    "check_reply",
    "judge_reply",
    "measure_reply",
    "relevance",
    "split_reply",
    "terms",
]

# Words that show something was looked into, decided or done (searched in the substantive text only,
# so the 已 of 已收悉 does not count).
ACTION_WORDS: tuple[str, ...] = (
    "经查",
    "经核实",
    "核实",
    "核查",
    "调查",
    "了解",
    "已",
    "处理",
    "整改",
    "安排",
    "解决",
    "依据",
    "根据",
    "按照",
    "规定",
    "政策",
    "目前",
    "正在",
    "将",
    "完成",
    "落实",
    "责令",
    "要求",
    "组织",
    "协调",
    "明确",
    "办理",
    "可以",
    "可",
    "需",
    "应",
    "不能",
    "无法",
    "因",
    "由于",
    "建议",
    "计划",
    "预计",
    "督促",
    "执法",
    "处罚",
    "检查",
    "维修",
    "修复",
    "清理",
    "拆除",
    "补贴",
    "标准",
    "符合",
)


@dataclass(frozen=True)
class ReplyCheckConfig:
    """Thresholds of the check; :data:`DEFAULT` holds the calibrated values."""

    too_short_chars: int = 15  # fewer content characters in the whole reply → too_short
    min_substance: int = 10  # fewer substantive characters (formulas, transfers, echoes removed) → boilerplate
    min_relevance: float = 0.0175  # relevance score below this → off_topic (bigram tokenizer)
    min_relevance_jieba: float = 0.027  # the same for tokenizer="jieba" (same false warning share on calibration)
    no_action_max_chars: int = 0  # no_action only up to this many substantive chars (0: off, see bench)
    warn_transfer_only: bool = True  # a reply that only says "已转××处理" is warned (transfer_only)
    duplicate_similarity: float = 0.9  # Jaccard of substantive bigram sets → duplicate
    tokenizer: str = "bigram"  # "bigram" or "jieba" (falls back to bigrams when jieba is missing)
    idf: Mapping[str, float] | None = None  # None: the built-in table
    default_idf: float | None = None  # idf of a term not in the table; None: the table's own default
    max_keywords: int = 8
    action_words: tuple[str, ...] = ACTION_WORDS


DEFAULT = ReplyCheckConfig()


@dataclass(frozen=True)
class ReplyWarning:
    code: str
    message: str
    evidence: tuple[str, ...] = ()


@dataclass
class ReplyCheck:
    ok: bool
    score: float
    warnings: list[ReplyWarning] = field(default_factory=list)
    substantive_chars: int = 0
    shared_keywords: list[str] = field(default_factory=list)
    boilerplate_phrases: list[str] = field(default_factory=list)
    transfer_phrases: list[str] = field(default_factory=list)
    action_words: list[str] = field(default_factory=list)
    total_chars: int = 0
    tokenizer: str = "bigram"
    reply: str = field(default="", repr=False)  # the normalised reply
    substance: str = field(default="", repr=False)  # its substantive text

    @property
    def codes(self) -> list[str]:
        return [w.code for w in self.warnings]


# --------------------------------------------------------------------------------------------------
# Clause classification
# --------------------------------------------------------------------------------------------------

_CLAUSE_SPLIT = re.compile(r"[。!?;:,，！？；：\s]+")
_CONTENT = re.compile(r"[\u3400-\u9fffa-z0-9]")
_DATE = re.compile(r"\d{2,4}年\d{1,2}月(?:\d{1,2}[日号])?|\d{4}[-./]\d{1,2}[-./]\d{1,2}")
_DATE_GLUED = re.compile(r"(\d{4}年\d{1,2}月\d{1,2}[日号])(?=[^\s。!?;:,，！？；：])")
_WHO = r"(?:尊敬的|亲爱的)?(?:网友|网民朋友|网民|市民朋友|市民|来信人|来信同志|市民同志|同志|朋友|群众|先生|女士)?"
_QUOTED_ID = r"(?:[“\"][^”\"]{0,24}[”\"])?"
_ORG_SUFFIX = (
    r"(?:局|办|办公室|委员会|委|政府|中心|街道|办事处|法院|检察院|公司|大队|支队|中队|党委|党组|院|所|处|厅|部|站|队|"
    r"学校|医院|镇|乡|社区|村委会|管委会)"
)

_FORMULAS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        # salutations
        rf"^{_WHO}\s*{_QUOTED_ID}\s*(?:您|你)好$",
        rf"^(?:尊敬的|亲爱的){_WHO}\s*{_QUOTED_ID}$",
        r"^(?:网友|网民朋友|网民|市民朋友|市民|来信人|来信同志|市民同志)\s*" + _QUOTED_ID + r"$",
        r"^[“\"][a-z0-9_]{0,24}[”\"]$",
        r"^(?:您|你)好$",
        # acknowledgements, lead-ins
        r"^.{0,30}(?:收悉|获悉|已阅|已经收到|已收到)$",
        r"^(?:收悉|来信收悉|来函收悉|函件收悉)$",
        r"^.{0,20}(?:答复|回复|说明)如下$",
        r"^(?:现|特)?(?:将|就)?.{0,12}(?:答复|回复)(?:如下)?$",
        r"^(?:具体|有关|相关)?情况如下$",
        r"^特此(?:答复|回复|函告|说明)$",
        r"^(?:关于|对于|针对)?(?:您|你)(?:所)?(?:反映|提出|咨询|留言)的(?:问题|情况|事项|诉求|意见|建议)$",
        r"^.{0,10}(?:高度重视|非常重视|十分重视)$",
        # thanks, wishes, closings
        r"^.{0,8}(?:感谢|谢谢|多谢).{0,36}$",
        r"^(?:祝|敬祝)(?:您|你).{0,12}$",
        r"^(?:敬请|请)(?:关注|留意|谅解|理解|耐心等待).{0,10}$",
        r"^(?:欢迎|希望)(?:您|你)?(?:继续|多)?(?:提出|多提|关注|监督|支持).{0,16}$",
        r"^.{0,24}(?:联系电话|咨询电话|服务热线|热线电话|致电|来电|电话联系|直接联系|与我们联系|联系咨询)"
        r"[^\u3400-\u9fff]{0,30}$",
        r"^[0-9()\-—\s]{7,}.{0,8}$",
        r"^如(?:您|你|果)?(?:您|你)?(?:还|仍|再)?(?:有|对).{0,24}(?:疑问|问题|意见|建议|不满意|异议|情况)$",
        r"^(?:以上|上述).{0,24}(?:答复|回复)$",
        r"^(?:如有|如果有)(?:相关|其他|新的)?情况.{0,12}(?:回复|反馈|告知)$",
        r"^(?:处理|办理|调查)(?:情况|结果)(?:会|将)(?:及时)?向您反馈$",
        # dates and signatures
        r"^\d{2,4}年\d{1,2}月\d{1,2}[日号]$",
        r"^\d{4}[-./]\d{1,2}[-./]\d{1,2}$",
        r"^(?!.*(?:已|请|的|在|至|向|将|由|是|对|了|但|按|以|正|并|根据|建议|目前|访问|争取|咨询|联系|下放|负责|管理权))[\u3400-\u9fffa-z0-9()（）]{2,20}"
        + _ORG_SUFFIX
        + r"(?:\d{2,4}年\d{1,2}月\d{1,2}[日号])?$",
    )
)
# A signature is only a signature at the end of the reply; elsewhere "××局" may be content.
_SIGNATURE = _FORMULAS[-1]

_TRANSFER = re.compile(
    r"(?:已经?|将|并)[^,。]{0,14}?(?:移交|移送|交由|交办|交给|(?<![中运接周扭好流旋翻逆婉辗])转(?!变|入|正|移|让|学|岗|为|型|换|化|账|出|运|卖|包|租|贷|诊|院|业|籍|告|达))"
)


def _content_len(s: str) -> int:
    return len(_CONTENT.findall(s))


def split_reply(reply: str) -> list[tuple[str, str]]:
    """Cut a normalised reply into clauses, each tagged ``formula``, ``transfer`` or ``content``."""
    reply = _DATE_GLUED.sub(r"\1 ", reply)
    raw = [c for c in _CLAUSE_SPLIT.split(reply) if c and _content_len(c)]
    out: list[tuple[str, str]] = []
    n = len(raw)
    for i, c in enumerate(raw):
        kind = "content"
        tail = i >= n - 3 and all(_content_len(x) <= 30 for x in raw[i:])
        if _content_len(c) <= 40 and _TRANSFER.search(c):
            kind = "transfer"
        elif _content_len(c) <= 60 and any(
            p.search(c) for p in _FORMULAS if p is not _SIGNATURE or tail or _DATE.search(c)
        ):
            kind = "formula"
        out.append((c, kind))
    return out


_QUOTE = re.compile(r"[“\"《]([^”\"》]{2,80})[”\"》]")


# --------------------------------------------------------------------------------------------------
# Terms and IDF
# --------------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[a-z][a-z0-9]*(?:市|区|县)?|[\u3400-\u9fff]+")


def _is_cjk(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff"


@lru_cache(maxsize=1)
def _jieba():  # type: ignore[no-untyped-def]
    try:
        import jieba
    except ImportError:  # pragma: no cover - depends on the environment
        return None
    jieba.setLogLevel(60)
    return jieba


def terms(text: str, tokenizer: str = "bigram") -> set[str]:
    """Key terms of a normalised text: character bigrams of CJK runs plus letter codes (``a2区``).

    With ``tokenizer="jieba"`` (and jieba importable) CJK runs are cut into jieba words of two or more
    characters instead. Pure digits are ignored (dates, phone numbers)."""
    seg = _jieba() if tokenizer == "jieba" else None
    out: set[str] = set()
    for m in _TOKEN.finditer(text):
        w = m.group()
        if not _is_cjk(w[0]):
            out.add(w)
        elif seg is not None:
            out.update(t for t in seg.cut(w) if len(t) >= 2)
        else:
            out.update(w[i : i + 2] for i in range(len(w) - 1))
    return out


# Built-in IDF table, generated by ``bench/replycheck.py --emit-idf`` from the calibration corpus
# (appeals and replies as separate documents). Format: "<idf>:<bigram> <bigram> …" per line; bigrams
# not listed are rarer than the cut-off and get the default idf.
# 1611 bigrams, N=5632 documents, in ≥ 1.4% of them
_IDF_DEFAULT = 4.9
_MIN_KEYWORD_WEIGHT = 2.0  # shared runs lighter than this ("问题", "反映") are not shown as keywords
_IDF_TABLE = """
0.7:问题
0.8:您好
0.9:工作 我们
1.0:回复 如下 情况
1.1:反映 感谢 网友 进行 部门
1.2:复如 收悉 政府 相关
1.3:有关 的问 谢您
1.4:作的 支持 没有
1.5:关于 咨询 已收 您对
1.6:对我 建设 您的 映的 留言 要求
1.7:a市 一个 人员 可以 根据 的留 目前 管理 调查 领导
1.8:公司 处理 希望 现将
1.9:们工 关情 关部 地省 居民 建议 您反 投诉 时间 现在 理解 的关 监督 西地 规定 解决 言已
2.0:人民 况回 办理 单位 将有 小区 已经 通过
2.1:a7县 不能 交通 什么 关心 安全 影响 政策 生活 电话 规划 重视 项目
2.2:业主 严重 中心 同时 如果 存在 尊敬 按照 教育 敬的 服务 现回 的情 行了 请求 部分
2.3:一直 国家 开发 核实 环境 由于 的支 组织 联系 行为 街道 谢谢 需要
2.4:不是 了解 以上 作为 关注 其他 发展 城市 多次 学校 意见 我局 无法 百姓 社区
2.5:一步 书记 们的 但是 使用 具体 基本 实施 工程 我是 提供 文件 是一 是否 有一 本人 条件 来信 标准 正在 申请 社会 群众 请问 通知 造成 道路 都是 高度
2.6:今年 作人 及时 学生 安排 实际 导致 就是 已转 度重 提出 民政 现场 符合 答复 解与 设施 负责 车辆 还有 这个 这样 题已
2.7:与支 与监 他们 任何 你好 出行 办法 加强 区的 发商 周边 和支 因为 完成 小学 属于 得到 房屋 所有 手续 改造 方案 施工 有限 村民 民的 的人 直接 自己 范围 费用 还是 非常
2.8:个人 为了 为什 主要 了一 以及 企业 依法 保障 公交 农村 发现 合法 合理 大的 定的 对于 市民 平台 建筑 开始 或者 执法 方便 方式 查处 正常 法律 的一 的公 的工 的建 积极 立即 经营
2.8:老百 进一
2.9:一下 上级 不到 不知 严格 个月 人的 信收 再次 出现 办公 原因 只有 合同 地方 小孩 尽快 居住 市场 很多 必须 怎么 所以 所反 收费 明确 是我 查核 物业 的生 的通 确保 第一 经济 经过
2.9:继续 考虑 育局 行政 计划 设计 这些 违法 针对 限公
3.0:业的 举报 也不 于您 信息 全部 公共 公安 到了 区域 协调 发生 只能 同意 城区 增加 好的 审批 广大 开展 您所 户口 整改 时候 是不 环保 现象 的地 的是 知道 程序 第二 结果 维护 而且
3.0:规范 设置 责任 资金 违规 问政 面积
3.1:一定 一次 上的 也是 予以 代表 以下 以来 保险 停车 其中 卫生 原则 因此 土地 安装 带来 应该 成了 方面 星沙 月份 机构 样的 每天 特别 的时 的相 的规 督促 统一 至今 购买 资料 资源
3.1:过程 这种 采取 附近 隐患
3.2:b市 一年 一条 下一 不得 交警 位于 住房 你们 依据 公路 关问 出的 医院 取得 可能 告知 在我 在此 城乡 城管 基础 委会 孩子 完善 家庭 左右 市政 年的 当地 当时 恳请 房子 才能 措施
3.2:收到 是在 有的 期间 来的 欢迎 民生 污染 法规 生的 登记 的不 的安 的意 的理 的领 看到 研究 管部 精神 线路 给予 给我 能够 证明 责人 质量 路段 路的 这是 门的 面的 题的
3.3:两个 主管 之前 也没 事业 享受 们将 会议 保护 做好 健康 全隐 公示 几个 利益 到位 力度 办事 加大 医疗 参加 反馈 召开 困难 在的 垃圾 大道 大队 如有 实行 宣传 家长 对该 并且 建成
3.3:强烈 我市 我想 房产 所在 执行 报告 提高 收取 政西 晚上 有效 材料 沟通 的事 的原 的大 监管 目的 程中 签订 经调 综合 落实 该项 调整 购房 路口 转交 运输 配套 需求
3.4:k市 一些 一是 万元 不要 中学 中的 为我 主的 事情 二是 交车 产生 人口 们是 住户 修建 公室 关系 决定 况下 几年 别是 区内 只是 启动 在这 地的 多年 安置 对此 局将 干部 年来 幼儿
3.4:我县 我的 承诺 接到 普通 权益 根本 检查 活动 现有 理的 生产 用地 的发 的回 的小 的房 的行 督与 第三 系统 纳入 经常 联合 行的 行调 表示 解和 许可 设备 身份 这一 这么 进入 通行
3.4:通道 都不 都没 重影
3.5:一名 不便 不符 个小 乡镇 人在 以后 们已 们这 位置 保证 儿园 全体 公开 共同 关政 内容 到现 到的 制定 务中 劳动 包括 协商 协议 去年 县政 另外 员会 商业 噪音 围内 大家 委员 完全
3.5:实地 平方 应当 成立 扰民 投入 投资 拆迁 拆除 拨打 推进 教师 整治 新的 核查 此事 每年 汽车 派出 消防 满足 父母 甚至 疑问 的业 的交 的合 的学 的居 的路 的车 确定 确实 系电 缴纳
3.5:网上 职工 职能 认为 让我 设的 说明 路交 路面 车的 达到 这里 违反 选择 重点
3.6:a8县 g市 不了 不会 不可 不合 业公 业务 临时 争取 交房 今天 价格 份证 住宅 全面 公园 公里 关单 关规 内的 准备 出台 出所 利用 前期 动车 努力 发放 可是 后的 和国 商品 国土 地下
3.6:地产 大部 如何 如此 姓的 对您 小时 就不 局已 工资 广场 府的 建的 开通 很大 心和 您在 户的 房地 批准 技术 改善 新建 有人 机关 核处 格按 正式 每个 法行 现就 理办 用的 的咨 的基
3.6:的投 的方 的网 的老 的要 相应 经查 绿化 老人 能部 营业 行动 认真 诉求 详细 请您 责令 费的 超过 车位 边的 道的 都有 镇政 长期 阶段 际情 难道 集中 非法 首先 验收
3.7:a5区 c市 一事 一点 三年 上学 上班 上述 下午 不同 不断 不足 中华 为一 义务 之间 也可 事处 事宜 事实 事故 二十 人社 人行 今后 件的 位的 住建 保局 入学 全国 公平 农民 出了 分别
3.7:区业 区居 半年 县城 反应 发文 各种 合格 员的 国际 在地 地区 城镇 备案 多少 大量 学习 学的 安局 审核 家的 己的 已于 年底 府发 律法 心与 户籍 房的 招生 接受 文明 最后 有相 朋友
3.7:村村 村的 条例 来了 果您 楼盘 毕业 民共 涉及 满意 生态 的实 的家 的政 的有 的来 社保 维修 考试 能力 致电 良好 行人 补偿 补贴 装修 解释 距离 路上 近期 那么 重要 门口 门进
3.8:a3区 a6区 一家 一样 下发 不存 专业 专项 个问 中小 之后 了调 们一 众的 住在 体情 共和 减少 出来 制度 前的 加快 医保 十分 华人 占用 去了 反对 发布 只要 可证 号文 司的 各位 品房
3.8:在一 在外 在平 处罚 多的 如您 子女 实在 实现 小组 局的 已将 市委 府部 开了 开工 强制 形成 得不 心的 成为 我家 我镇 承担 报名 控制 提升 整个 整体 文化 方米 日常 日网 是为 是有
3.8:最近 极大 查了 比较 民群 水平 法权 特此 理工 理由 用于 用水 的信 的出 的正 的水 的现 的违 的重 真的 稳定 等相 级领 结合 能在 自行 财政 质疑 资格 还没 还要 通运 道办 都在 配合
3.8:里的 重新 重的 销售 间的 随着 集体 集团 马路 驾驶
3.9:a1区 b9市 l市 一致 一起 下达 不再 不堪 与我 中央 主任 之中 也有 了我 事件 事项 二期 产权 以前 们也 会有 作出 依规 充分 党委 入住 公布 养老 出具 到您 务工 压力 参与 双方 受到
3.9:口的 各级 呼吁 园的 地面 场的 培训 外地 大力 大型 委托 家里 对其 对接 尤其 展的 属实 工商 市的 帮助 年了 年以 并不 建立 引起 形式 征收 恢复 您提 我办 指导 提质 支付 改革 敬请
3.9:方向 日起 是由 有些 有什 有其 望政 望有 机动 条规 来水 查询 每次 民医 求解 泉塘 法人 法依 流程 片区 的影 的教 的村 的环 的监 的管 破坏 硬化 秩序 米的 经开 缴费 网络 老师 而不
3.9:自来 自然 虽然 补助 言收 证的 该路 说是 贫困 车站 较大 迅速 过去 运行 里面 银行 镇人
4.0:j市 一套 一期 一般 三个 上下 上午 上报 不作 不属 不满 不给 业管 中国 为民 么时 们不 休息 优化 会保 信访 停止 元的 免费 其它 出入 切实 划的 到底 前已 原来 县委 及其 发的 后来
4.0:后续 员工 和建 和社 哪里 在不 在进 场所 坚决 处于 多人 大学 子的 完工 定了 将及 将在 将进 就业 就有 工的 年前 年级 并在 并未 应的 建房 强对 态度 成的 持和 提交 操作 收入 无人
4.0:日在 明显 是没 是这 更加 最大 有很 望能 本来 查看 校的 次向 此回 步加 民出 流量 消费 热线 现已 理情 申报 电子 疗保 的主 的农 的市 的开 的权 的经 的道 直没 相信 真正 禁止 站的
4.0:等问 自愿 行业 行整 该公 贷款 路公 身体 车场 车道 运营 近的 长的 题进 高速
4.1:c4市 一方 三十 三是 上面 下来 不动 不好 不方 不管 两年 中队 为何 为此 主体 之一 书面 买了 交了 交付 交线 产业 产开 产证 人不 人为 人力 人进 们在 件精 你反 促进 做主 儿童 允许
4.1:全市 公告 公正 共有 关法 关的 具备 农业 准的 几十 分钟 划局 划建 到我 办学 加了 十三 十年 参保 受理 各项 向您 否有 员进 响了 回家 在小 地铁 处置 宝贵 家人 容易 对面 将会 将您
4.1:尚未 就可 就没 就读 局工 局领 履行 工人 市交 市管 市长 帮我 常感 常生 干道 年开 并没 建局 形象 待遇 您可 您还 成本 我单 我在 打电 拥堵 持续 搬迁 改变 政部 效果 教学 新区 旅游
4.1:早日 时也 是要 暂时 更多 更好 更是 月底 有任 未能 权利 村委 来说 来越 检测 楚江 民办 水泥 水管 汇报 沿线 法定 法的 法院 清楚 特殊 状况 理了 理和 生命 百忙 的住 的各 的同 的城
4.1:的户 的收 的电 的社 的诉 的话 的需 的高 监察 矛盾 社局 祝您 私自 科学 第十 第四 管局 管道 经核 育的 能不 行处 行车 行道 要是 要的 规模 议您 设工 设立 该小 请领 读书 财产 费标
4.1:越来 路与 车流 较多 输局 辖区 进度 退休 途径 采用 重大 量的 门对 门能 预计 题回
4.2:a4区 l6县 m市 上是 上门 下雨 不在 专人 专门 业单 业生 为的 么不 么多 也就 买房 于我 交的 件规 会的 位领 住院 体的 作业 你所 你的 做了 做出 做到 全县 关事 关工 关文 关职 其是
4.2:决问 分的 分配 初中 到处 办复 功能 动工 北路 区公 十二 即将 历史 县级 发了 发改 取消 变更 司在 司法 合作 同志 向市 员对 和监 和谐 因素 在县 在家 在建 在网 地址 地点 场地 场进
4.2:定期 对象 就近 局对 局核 局进 工业 工建 已在 已有 市公 市区 年多 年度 幸福 开区 开放 异地 得了 微信 愿意 成后 打击 批复 找到 报销 损失 排放 擅自 政局 旁边 日下 是什 是因 有不
4.2:有这 望领 污水 清理 然后 然而 理相 理部 的利 的前 的医 的标 的补 的资 目建 相对 省人 知书 竣工 等部 策的 约定 组村 组的 维权 编制 老保 老板 职责 能否 获得 计算 设项 请政 谢你
4.2:质改 起来 路建 路灯 边居 近年 违章 连续 逐步 遇到 道和 避免 都要 镇的 门面 随意 高峰
4.3:一天 下的 中间 也将 乱收 人和 人数 人都 住的 作用 关人 况进 加上 在全 天气 将继 市人 指标 支队 施的 月的 残疾 的土 花园 记录 询问 迎您 还在 通的
"""


@lru_cache(maxsize=1)
def _builtin_idf() -> dict[str, float]:
    table: dict[str, float] = {}
    for line in _IDF_TABLE.strip().splitlines():
        value, _, words = line.partition(":")
        for w in words.split():
            table[w] = float(value)
    return table


def _idf(config: ReplyCheckConfig) -> tuple[Mapping[str, float], float]:
    table = config.idf if config.idf is not None else _builtin_idf()
    default = config.default_idf if config.default_idf is not None else _IDF_DEFAULT
    return table, default


def relevance(
    appeal_terms: set[str], reply_terms: set[str], idf: Mapping[str, float], default_idf: float
) -> tuple[float, set[str]]:
    """IDF-weighted set overlap (Ochiai form) and the shared terms."""
    if not appeal_terms or not reply_terms:
        return 0.0, set()
    shared = appeal_terms & reply_terms
    wa = sum(idf.get(t, default_idf) for t in appeal_terms)
    wr = sum(idf.get(t, default_idf) for t in reply_terms)
    ws = sum(idf.get(t, default_idf) for t in shared)
    return ws / math.sqrt(wa * wr), shared


def _keywords(text: str, shared: set[str], idf: Mapping[str, float], default_idf: float, limit: int) -> list[str]:
    """Readable shared keywords: maximal runs of the reply whose bigrams all occur in the appeal."""
    runs: dict[str, float] = {}
    for m in _TOKEN.finditer(text):
        w = m.group()
        if not _is_cjk(w[0]):
            if w in shared:
                runs[w] = max(runs.get(w, 0.0), idf.get(w, default_idf))
            continue
        i = 0
        while i < len(w) - 1:
            j = i
            while j < len(w) - 1 and w[j : j + 2] in shared:
                j += 1
            if j > i:
                run = w[i : j + 1]
                weight = sum(idf.get(run[k : k + 2], default_idf) for k in range(len(run) - 1))
                runs[run] = max(runs.get(run, 0.0), weight)
                i = j
            else:
                i += 1
    # drop runs contained in a longer kept run, and weak single generic bigrams
    ordered = sorted(runs.items(), key=lambda kv: (-kv[1], kv[0]))
    kept: list[str] = []
    for run, weight in ordered:
        if weight < _MIN_KEYWORD_WEIGHT:
            continue
        if any(run in k for k in kept):
            continue
        kept.append(run)
        if len(kept) >= limit:
            break
    return kept


def _bigrams(s: str) -> set[str]:
    s = "".join(_CONTENT.findall(s))
    return {s[i : i + 2] for i in range(len(s) - 1)}


# --------------------------------------------------------------------------------------------------
# The check
# --------------------------------------------------------------------------------------------------


def _shown(formulas: list[str]) -> list[str]:
    """Formulas worth quoting in a message: not bare salutations, user ids or dates."""
    keep = [f for f in formulas if _content_len(f) >= 4 and "“" not in f and not _DATE.search(f)]
    return keep or formulas


def _quote(items: Iterable[str], limit: int = 3) -> str:
    items = list(items)
    shown = "、".join(f"“{x}”" for x in items[:limit])
    return shown + ("等" if len(items) > limit else "")


def measure_reply(appeal_text: str, reply_text: str, *, config: ReplyCheckConfig = DEFAULT) -> ReplyCheck:
    """Everything the check looks at (score, evidence), without warnings; see :func:`judge_reply`."""
    appeal = normalize_text(appeal_text)
    reply = normalize_text(reply_text)
    clauses = split_reply(reply)
    formulas = [c for c, k in clauses if k == "formula"]
    transfers = [c for c, k in clauses if k == "transfer"]
    content = [c for c, k in clauses if k == "content"]
    content_text = "。".join(content)

    # substantive text: content clauses minus quoted echoes of the appeal
    appeal_bigrams = _bigrams(appeal)
    substance = content_text
    for m in _QUOTE.finditer(content_text):
        q = _bigrams(m.group(1))
        if q and len(q & appeal_bigrams) >= 0.6 * len(q):
            substance = substance.replace(m.group(0), "")

    idf, default_idf = _idf(config)
    tokenizer = config.tokenizer if config.tokenizer == "jieba" and _jieba() is not None else "bigram"
    scored_text = "。".join(content + transfers)
    score, shared = relevance(terms(appeal, tokenizer), terms(scored_text, tokenizer), idf, default_idf)
    if tokenizer == "bigram":
        keywords = _keywords(scored_text, shared, idf, default_idf, config.max_keywords)
    else:
        keywords = sorted(shared, key=lambda t: (-idf.get(t, default_idf), t))[: config.max_keywords]
    return ReplyCheck(
        ok=True,
        score=round(score, 4),
        tokenizer=tokenizer,
        total_chars=_content_len(reply),
        substantive_chars=_content_len(substance),
        shared_keywords=keywords,
        boilerplate_phrases=formulas,
        transfer_phrases=transfers,
        action_words=[w for w in config.action_words if w in substance],
        reply=reply,
        substance=substance,
    )


def judge_reply(measured: ReplyCheck, *, config: ReplyCheckConfig = DEFAULT, others: Iterable[str] = ()) -> ReplyCheck:
    """Apply the thresholds of ``config`` to a :func:`measure_reply` result (a new object is returned)."""
    m = measured
    warnings: list[ReplyWarning] = []
    warn = warnings.append
    if m.total_chars < config.too_short_chars:
        warn(
            ReplyWarning(
                "too_short", f"答复过短，未说明办理结果（全文仅{m.total_chars}字）", (m.reply,) if m.reply else ()
            )
        )
    elif m.substantive_chars < config.min_substance:
        if m.transfer_phrases and config.warn_transfer_only:
            warn(
                ReplyWarning(
                    "transfer_only",
                    f"答复仅说明已转交办理，未说明办理结果（转办：{_quote(m.transfer_phrases)}）",
                    tuple(m.transfer_phrases),
                )
            )
        elif m.transfer_phrases:
            pass  # transfer notices tolerated by configuration
        elif m.boilerplate_phrases:
            warn(
                ReplyWarning(
                    "boilerplate",
                    f"答复为套话，未说明具体措施（套话：{_quote(_shown(m.boilerplate_phrases))}；"
                    f"有效内容仅{m.substantive_chars}字）",
                    tuple(m.boilerplate_phrases),
                )
            )
        else:
            warn(
                ReplyWarning("too_short", f"答复过短，未说明办理结果（有效内容仅{m.substantive_chars}字）", (m.reply,))
            )
    else:
        threshold = config.min_relevance_jieba if m.tokenizer == "jieba" else config.min_relevance
        if m.score < threshold:
            shown = "、".join(m.shared_keywords[:5]) if m.shared_keywords else "无"
            warn(
                ReplyWarning(
                    "off_topic",
                    f"答复与诉求内容关联度低（关联度{m.score:.3f}，共同关键词：{shown}）",
                    tuple(m.shared_keywords),
                )
            )
        if not m.action_words and m.substantive_chars <= config.no_action_max_chars:
            warn(
                ReplyWarning(
                    "no_action",
                    "答复未说明核查经过、处理措施或政策依据（未见“经查”“已”“依据”“规定”等词）",
                )
            )

    others = list(others)
    if others and m.substantive_chars >= config.min_substance:
        mine = _bigrams(m.substance)
        best, best_other = 0.0, ""
        for other in others:
            theirs = _bigrams("。".join(c for c, k in split_reply(normalize_text(other)) if k == "content"))
            union = len(mine | theirs)
            sim = len(mine & theirs) / union if union else 0.0
            if sim > best:
                best, best_other = sim, other
        if best >= config.duplicate_similarity:
            warn(ReplyWarning("duplicate", f"答复与另一工单答复几乎相同（相似度{best:.0%}）", (best_other[:80],)))
    return replace(m, ok=not warnings, warnings=warnings)


def check_reply(
    appeal_text: str,
    reply_text: str,
    *,
    config: ReplyCheckConfig = DEFAULT,
    others: Iterable[str] = (),
) -> ReplyCheck:
    """Check one reply against its appeal. ``others``: replies to other appeals, for ``duplicate``."""
    return judge_reply(measure_reply(appeal_text, reply_text, config=config), config=config, others=others)
