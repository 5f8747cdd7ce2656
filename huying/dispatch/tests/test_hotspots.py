"""Hot-issue clustering on small synthetic appeals (no database)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import pytest

from huying.dispatch import hotspots
from huying.dispatch.hotspots import AppealRecord, hot_issues

NOW = datetime(2024, 5, 20, 12, 0)

MIXING_PLANT = [
    "丽发新城搅拌站噪音扰民\n丽发新城小区旁边的搅拌站每天夜里施工，噪音很大，灰尘污染严重，居民无法休息。",
    "投诉丽发新城附近搅拌站\n搅拌站深夜作业噪音扰民，粉尘污染丽发新城小区，请环保部门查处。",
    "丽发新城搅拌站污染\n丽发新城小区居民反映搅拌站噪音和灰尘污染，晚上睡不着。",
    "关于丽发新城搅拌站噪音的问题\n搅拌站离丽发新城太近，噪音粉尘严重，希望尽快搬迁搅拌站。",
    "丽发新城搅拌站夜间施工扰民\n丽发新城业主投诉搅拌站夜间施工噪音，灰尘很大。",
]
OIL_FUMES = [
    "魅力之城小区临街餐馆油烟扰民\n魅力之城小区楼下餐馆油烟直排，居民家里全是油烟味。",
    "投诉魅力之城餐馆油烟\n魅力之城小区一楼餐馆油烟直排，夜宵摊噪音大，影响居民生活。",
    "魅力之城油烟直排问题\n魅力之城小区临街餐馆油烟污染严重，请城管处理餐馆油烟。",
]
NOISE = [
    "公积金提取咨询\n请问离职以后住房公积金怎样提取？需要准备哪些材料？",
    "学校违规收费\n某中学违规收取补课费，每学期两千元，家长负担很重。",
    "村道路灯不亮\n金鼎村道路两旁的路灯坏了很久，晚上出行很危险。",
    "医保报销太复杂\n异地就医以后医保报销流程复杂，来回跑了好几趟。",
    "出租车拒载\n高铁站出租车拒载、绕路现象严重，希望加强管理。",
    "幼儿园入园难\n孩子明年上幼儿园，附近公办幼儿园学位太少。",
]


def _records(texts: list[str], start_id: int, place: str | None, age: timedelta, votes: int = 0) -> list[AppealRecord]:
    return [
        AppealRecord(start_id + i, text, place, NOW - age - timedelta(hours=i), votes) for i, text in enumerate(texts)
    ]


@pytest.fixture(params=["jieba", "bigrams"])
def tokenizer(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "bigrams":
        monkeypatch.setattr(hotspots, "_jieba", lambda: None)
    elif hotspots._jieba() is None:
        pytest.skip("jieba is not installed")
    return str(request.param)


def test_planted_clusters_found_and_ranked(tokenizer: str) -> None:
    appeals = (
        _records(MIXING_PLANT, 100, "A2区", timedelta(days=1), votes=3)
        + _records(OIL_FUMES, 200, "A5区", timedelta(days=2))
        + _records(NOISE, 300, None, timedelta(days=3))
    )
    issues = hot_issues(appeals, now=NOW)
    assert [set(h.member_ids) for h in issues] == [set(range(100, 105)), set(range(200, 203))]
    first = issues[0]
    assert first.size == 5
    assert first.votes == 15
    assert first.place == "A2区"
    assert first.representative_id in first.member_ids
    assert first.title.startswith("丽发新城") or "丽发新城" in first.title
    assert any("搅拌" in k or "丽发" in k for k in first.keywords[:4])
    assert first.label


def test_tuples_accepted_and_top_limits() -> None:
    appeals = [(r.id, r.text, r.place, r.created_at, r.votes) for r in _records(MIXING_PLANT, 1, None, timedelta(0))]
    assert len(hot_issues(appeals, now=NOW, top=1)) == 1
    assert hot_issues([], now=NOW) == []


def test_growth_breaks_a_tie_in_size() -> None:
    # Both clusters have three appeals this week; the oil-fumes one also had three last week.
    appeals = (
        _records(MIXING_PLANT[:3], 100, "A2区", timedelta(days=1))
        + _records(OIL_FUMES, 200, "A5区", timedelta(days=1))
        + _records(OIL_FUMES, 210, "A5区", timedelta(days=9))
        + _records(NOISE, 300, None, timedelta(days=2))
    )
    issues = hot_issues(appeals, now=NOW)
    assert [h.member_ids for h in issues] == [(100, 101, 102), (200, 201, 202)]
    plant, fumes = issues
    assert (plant.previous_size, plant.growth) == (0, 3.0)
    assert (fumes.previous_size, fumes.growth) == (3, 0.0)
    assert plant.score > fumes.score


def test_time_window_respected() -> None:
    appeals = (
        _records(MIXING_PLANT[:2], 100, "A2区", timedelta(days=1))
        + _records(MIXING_PLANT[2:], 110, "A2区", timedelta(days=30))  # older than both windows
        + _records(OIL_FUMES, 200, "A5区", timedelta(days=10))  # previous window only
        + _records(OIL_FUMES[:1], 250, "A5区", timedelta(days=-1))  # after "now"
    )
    issues = hot_issues(appeals, now=NOW)
    assert [h.member_ids for h in issues] == [(100, 101)]
    assert issues[0].previous_size == 0
    wider = hot_issues(appeals, now=NOW, window=timedelta(days=60))
    assert {h.member_ids for h in wider} == {(100, 101, 110, 111, 112), (200, 201, 202)}


def test_same_place_required_when_both_known() -> None:
    appeals = _records(OIL_FUMES, 1, "A5区", timedelta(days=1)) + _records(OIL_FUMES, 11, "A3区", timedelta(days=1))
    assert {h.member_ids for h in hot_issues(appeals, now=NOW)} == {(1, 2, 3), (11, 12, 13)}
    merged = hot_issues(appeals, now=NOW, same_place=False)
    assert [h.size for h in merged] == [6]
    unknown = _records(OIL_FUMES, 1, None, timedelta(days=1)) + _records(OIL_FUMES, 11, "A3区", timedelta(days=1))
    assert [h.size for h in hot_issues(unknown, now=NOW)] == [6]


def test_tokenize_falls_back_to_bigrams(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hotspots, "_jieba", lambda: None)
    tokens = hotspots.tokenize("A市A5区魅力之城油烟")
    assert "魅力" in tokens and "油烟" in tokens
    assert all(len(t) == 2 for t in tokens)


STREET = "滨城区北镇街道新立河东路"
ON_ONE_STREET = [
    # (text, address) as the demo data has them: two other matters on the street of the first, and
    # the first's matter on a second street
    (
        "新立河东路路灯不亮\n网民留言：滨城区北镇街道新立河东路约两百米路段的路灯已经连续一周晚上不亮，"
        "夜间行人出行不便，存在安全隐患，希望尽快维修。希望有关部门重视。",
        STREET,
    ),
    (
        "新立河东路培训机构违规补课\n来电人反映：滨城区北镇街道新立河东路一家培训机构在周末组织中小学生进行"
        "学科类培训，收费较高，希望核查。周边很多居民都有意见。",
        STREET,
    ),
    (
        "新立河东路路面破损坑洼\n人大代表转交群众意见：滨城区北镇街道新立河东路非机动车道有多处坑洼，雨后积水，"
        "电动车经过容易摔倒，希望尽快修补。周边很多居民都有意见。",
        STREET,
    ),
    (
        "黄河二路路灯不亮\n网格员巡查上报：滨城区北镇街道黄河二路约两百米路段的路灯已经连续一周晚上不亮，"
        "夜间行人出行不便，存在安全隐患，希望尽快维修。",
        "滨城区北镇街道黄河二路",
    ),
]

OTHER_MATTERS = [t for t in NOISE if "路灯" not in t]  # the village's street lights would join the issue


def _street_issues() -> list[tuple[int, ...]]:
    appeals = [
        AppealRecord(i, text, "371602", NOW - timedelta(hours=i), 0, address)
        for i, (text, address) in enumerate(ON_ONE_STREET, start=1)
    ] + _records(OTHER_MATTERS + MIXING_PLANT, 100, None, timedelta(days=2))
    return [tuple(i for i in h.member_ids if i < 100) for h in hot_issues(appeals, now=NOW)]


@pytest.mark.parametrize("tokenizer", ["jieba", "bigrams"], indirect=True)
def test_a_shared_street_name_does_not_make_different_matters_one_issue(tokenizer: str) -> None:
    # The street lights on two streets are one matter; the tutoring and the potholes stay apart.
    assert [m for m in _street_issues() if m] == [(1, 4)]
    # (Left in, the street's name and a closing sentence the two share joined them.)


def test_issue_reports_its_address_and_keywords_without_it() -> None:
    appeals = [
        AppealRecord(i, text, "371602", NOW - timedelta(hours=i), 0, address)
        for i, (text, address) in enumerate(ON_ONE_STREET, start=1)
    ] + _records(OTHER_MATTERS, 100, None, timedelta(days=2))
    (issue,) = hot_issues(appeals, now=NOW)
    assert issue.member_ids == (1, 4)
    assert (issue.address, issue.address_count) == (STREET, 2)  # a tie goes to the first in order
    assert "不亮" in issue.keywords
    assert not {"新立", "河东路", "新立河东路", "北镇", "黄河"} & set(issue.keywords)


def test_address_taken_from_a_sixth_tuple_item() -> None:
    rows = [(i, text, None, NOW - timedelta(hours=i), 0, address) for i, (text, address) in enumerate(ON_ONE_STREET)]
    rows += [
        (r.id, r.text, r.place, r.created_at, r.votes) for r in _records(OTHER_MATTERS, 100, None, timedelta(days=2))
    ]
    assert [h.member_ids for h in hot_issues(rows, now=NOW)] == [(0, 3)]


def test_average_linkage_does_not_chain_unlike_appeals() -> None:
    # a is like b, b is like c, a and c share nothing.
    vectors = [{"x": 1.0}, {"x": 0.6, "y": 0.6}, {"y": 0.8}]
    edges = [(0.6, 0, 1), (0.48, 1, 2)]
    assert sorted(hotspots._clusters(3, edges, vectors, linkage=0.0)) == [[0, 1, 2]]
    # Merging c into {a, b}: the mean over its pairs is (0 + 0.48) / 2 = 0.24.
    assert sorted(hotspots._clusters(3, edges, vectors, linkage=0.3)) == [[0, 1], [2]]
    assert sorted(hotspots._clusters(3, edges, vectors, linkage=0.24)) == [[0, 1, 2]]
    assert vectors == [{"x": 1.0}, {"x": 0.6, "y": 0.6}, {"y": 0.8}]  # the appeals' own vectors are untouched


def test_a_road_recorded_as_another_appeals_address_is_a_place_word() -> None:
    # The caller lives in 御园小区 and complains about a restaurant on 渤海七路, where a building site
    # is also reported: the restaurant matter groups with the other restaurant, not with the site.
    rows = [
        ("渤海七路工地夜间施工噪音扰民\n渤海七路工地每天夜里施工，噪音很大，周边居民无法休息。", "渤海七路"),
        ("渤海七路饭店油烟扰民\n渤海七路一家饭店油烟直排，御园小区居民家里全是油烟味。", "御园小区"),
        ("饭店油烟直排扰民\n金都花园楼下饭店油烟直排，居民家里全是油烟味，夜里还有噪音。", "金都花园"),
    ]
    appeals = [
        AppealRecord(i, text, "371602", NOW - timedelta(hours=i), 0, address)
        for i, (text, address) in enumerate(rows, start=1)
    ] + _records(OTHER_MATTERS, 100, None, timedelta(days=2))
    assert [h.member_ids for h in hot_issues(appeals, now=NOW)] == [(2, 3)]


EVERYDAY = [
    "小区物业服务差，希望有关部门督促整改",
    "道路破损坑洼，车辆通行困难，希望尽快修补",
    "夜间施工噪音扰民，居民无法休息",
    "饭店油烟直排，居民家里全是油烟味",
    "咨询养老保险缴费年限怎么计算",
    "孩子入学学位紧张，希望增加学位",
    "出租车拒载绕路，希望加强管理",
    "医保报销流程复杂，来回跑了好几趟",
    "垃圾清运不及时，气味很大",
    "路灯损坏多日，夜间出行不便",
    "公交车班次太少，等车时间太长",
    "商户占道经营，行人无法通行",
]
ESTATES = ["丽景园", "金都花园", "颐和小区", "御园小区", "梁邹小区"]


def _everyday(start_id: int, age: timedelta) -> list[AppealRecord]:
    texts = [f"{estate}{matter}" for estate in ESTATES for matter in EVERYDAY]  # 60 appeals
    return _records(texts, start_id, None, age)


def test_a_burst_of_one_matter_is_a_hot_issue_though_it_is_common() -> None:
    # Heating fails: 30 calls this week about 供暖 among 60 everyday ones; last week had none of
    # them. 供暖 is in a third of the appeals, more than max_df, and still names the issue.
    burst = _records(
        [f"{estate}暖气不热，供暖温度不达标，室温只有十几度" for estate in ESTATES for _ in range(6)],
        1000,
        None,
        timedelta(days=1),
    )
    appeals = _everyday(100, timedelta(days=2)) + _everyday(300, timedelta(days=9)) + burst
    issues = hot_issues(appeals, now=NOW, top=3)
    assert issues[0].size == 30 and set(issues[0].member_ids) == set(range(1000, 1030))
    assert "供暖" in issues[0].keywords


def test_an_everyday_word_stays_out_when_it_is_not_bursting() -> None:
    docs = [
        hotspots._Doc(r, r.created_at > NOW - timedelta(days=7), Counter(hotspots.tokenize(r.text)))
        for r in _everyday(100, timedelta(days=2)) + _everyday(300, timedelta(days=9))
    ]
    df: Counter[str] = Counter()
    for d in docs:
        df.update(d.tokens.keys())
    common = hotspots._common_words(docs, df, max_df=0.1)
    assert "小区" in common  # in every window alike
    # With no previous window to compare with, every common word is dropped.
    assert "小区" in hotspots._common_words([d for d in docs if d.current], df, max_df=0.1)


def test_words_that_say_nothing_of_the_matter_are_no_keywords() -> None:
    words = hotspots.tokenize("梁邹小区今天早上突然停水，事先没有收到任何通知，需要尽快恢复供水")
    assert "停水" in words and "供水" in words
    assert not {"今天", "早上", "突然", "事先", "收到", "任何", "需要", "尽快"} & set(words)
