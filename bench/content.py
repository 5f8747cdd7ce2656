"""Realistic, varied hotline appeals in Chinese (deterministic for a given seed)."""

from __future__ import annotations

import random

DISTRICTS = ["滨城区", "沾化区", "惠民县", "阳信县", "无棣县", "博兴县", "邹平市", "北海新区", "高新区"]
PLACES = [
    "黄河五路与渤海十八路路口",
    "市中街道黄河社区12号楼",
    "彭李街道新立河小区东门",
    "滨北街道梧桐一路菜市场",
    "杜店街道中海花园3期",
    "市西街道渤海七路公交站",
    "经济开发区长江二路工地",
    "三河湖镇政府驻地北侧",
    "里则街道老城区胡同",
    "秦皇台乡王家村村委会南",
    "滨州实验学校西侧",
    "万达广场地下停车场",
]
ISSUES = [
    ("噪音扰民", "附近工地夜间施工噪音很大，晚上十一点以后还在打桩，影响老人孩子休息", "complaint"),
    ("道路破损", "路面有一个大坑，雨后积水很深，电动车已经摔倒好几次", "help"),
    ("路灯不亮", "小区门口一排路灯坏了两个多星期，晚上出行很不安全", "help"),
    ("供暖不热", "家里暖气温度只有十四五度，物业说是热力公司的问题，互相推诿", "complaint"),
    ("垃圾清运不及时", "垃圾桶已经满了三天没人清理，气味很大，招苍蝇", "complaint"),
    ("占道经营", "早市商贩占用人行道和机动车道摆摊，交通拥堵，车辆无法通行", "report"),
    ("拖欠工资", "在建筑工地干活，包工头拖欠三个月工资共一万二千元，一直联系不上", "help"),
    ("燃气问题", "楼道里有燃气味，已经给燃气公司打过电话但还没有人来检查", "help"),
    ("停水", "小区从今天早上开始停水，没有提前通知，家里有老人不方便", "consult"),
    ("违章建筑", "一楼住户私自扩建院墙并搭建彩钢房，占用公共绿地", "report"),
    ("医保报销", "异地就医的医保报销需要哪些材料，在哪里办理，多长时间能到账", "consult"),
    ("公交线路", "建议增开到新建小区的公交线路，目前最近的站点要走二十分钟", "suggestion"),
    ("物业服务", "物业费每年上涨但电梯经常故障，业主多次反映没有结果", "complaint"),
    ("油烟污染", "楼下饭店油烟直排，没有安装净化设备，窗户都不敢开", "complaint"),
    ("校外培训", "附近有培训机构在学期中违规收取一年的费用，家长担心退费问题", "report"),
    ("养老补贴", "父亲今年满八十岁，想咨询高龄补贴怎么申请，需要本人到场吗", "consult"),
    ("井灌电价", "村里机井浇地电价比去年高了不少，群众意见很大，希望核实电价标准", "complaint"),
    ("下水道堵塞", "小区主下水管道堵塞，污水从井盖冒出来流到路上", "help"),
]
REQUESTS = ["请有关部门尽快处理", "希望尽快给个答复", "请相关单位核实处理", "请帮忙协调解决", "希望政府重视"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ["先生", "女士", "建国", "秀英", "志强", "丽娟", "海涛", "桂兰", "明", "静"]


class AppealText:
    """Produces (title, content, appeal_type, requester_name) tuples, all different."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.n = 0

    def next(self) -> tuple[str, str, str, str]:
        rng = self.rng
        self.n += 1
        issue, detail, appeal_type = rng.choice(ISSUES)
        district, place = rng.choice(DISTRICTS), rng.choice(PLACES)
        days = rng.randint(1, 30)
        content = (
            f"来电人反映：{district}{place}{detail}，已持续约{days}天。"
            f"{rng.choice(REQUESTS)}。（第{self.n}次记录，来电时间{rng.randint(8, 21)}点{rng.randint(0, 59):02d}分）"
        )
        title = f"{district}{issue}"
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        return title, content, appeal_type, name
