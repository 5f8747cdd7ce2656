"""Grid management (网格化服务管理): one grid layer, the people who serve it, households and visits.

The grid layer is the one every department reuses (滨州市社会治理网格化服务管理条例 Art. 6:
"有关部门和单位应当依托已划分的网格开展工作，不再另行划分"). Boundaries are WGS-84 GeoJSON;
an adjusted boundary closes its old version in ``GridBoundary`` so history is kept.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huying.organisations.models import OrgUnit


class Crs(models.TextChoices):
    """Coordinate systems a boundary or a point may arrive in; storage is always WGS-84."""

    WGS84 = "wgs84", _("WGS-84（GPS、浏览器定位）")
    GCJ02 = "gcj02", _("GCJ-02（国内地图服务）")


class Grid(models.Model):
    """A grid (or a 示范区 that groups grids) under a community/village or a township unit.

    ``code`` is the 12-digit 统计用区划代码 of the community or village plus a 3-digit sequence
    (the 6+3+3+3 layout of Beijing DB11 单元网格标识码 and Xi'an DB6101/T 3185-2024).
    """

    class Level(models.TextChoices):
        DEMO_ZONE = "demo_zone", _("党建示范区")
        GRID = "grid", _("网格")

    class GridType(models.TextChoices):
        COMPREHENSIVE = "comprehensive", _("综合网格")
        DEDICATED = "dedicated", _("专属网格")

    code = models.CharField(_("网格编码"), max_length=15)
    area_code = models.CharField(_("统计用区划代码"), max_length=12)
    sequence = models.PositiveSmallIntegerField(_("顺序号"))
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=12, choices=Level.choices, default=Level.GRID)
    grid_type = models.CharField(_("类型"), max_length=16, choices=GridType.choices, default=GridType.COMPREHENSIVE)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="grids", verbose_name=_("所属村/社区"))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("上级示范区")
    )
    boundary = models.JSONField(_("边界（GeoJSON，WGS-84）"))
    source_crs = models.CharField(_("导入坐标系"), max_length=8, choices=Crs.choices, default=Crs.WGS84)
    area_m2 = models.FloatField(_("面积（平方米）"), default=0)
    household_count = models.PositiveIntegerField(_("户数"), default=0)
    resident_count = models.PositiveIntegerField(_("实有人口"), default=0)
    supervision_phone = models.CharField(_("监督电话"), max_length=20, blank=True)
    valid_from = models.DateField(_("启用日期"))
    valid_to = models.DateField(_("停用日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The spatial index is rebuilt when count or max(updated_at) of current grids changes.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(valid_to__isnull=True), name="grid_current_code_unique"
            ),
            models.UniqueConstraint(fields=["code", "valid_from"], name="grid_code_valid_from_unique"),
        ]
        indexes = [models.Index(fields=["valid_to", "level"], name="grid_current_level_idx")]
        verbose_name = _("网格")
        verbose_name_plural = _("网格")

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


class GridBoundary(models.Model):
    """One version of a grid's boundary: adjusted boundaries keep history (valid_from/valid_to)."""

    grid = models.ForeignKey(Grid, on_delete=models.CASCADE, related_name="boundaries")
    boundary = models.JSONField(_("边界（GeoJSON，WGS-84）"))
    source_crs = models.CharField(_("导入坐标系"), max_length=8, choices=Crs.choices, default=Crs.WGS84)
    valid_from = models.DateField(_("启用日期"))
    valid_to = models.DateField(_("停用日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["grid", "valid_from"]
        verbose_name = _("网格边界版本")
        verbose_name_plural = _("网格边界版本")

    def __str__(self) -> str:
        return f"{self.grid_id} {self.valid_from}–{self.valid_to or ''}"


class DutyType(models.Model):
    """A duty a grid worker or liaison member carries (configurable data: 大类 and 职责)."""

    code = models.CharField(_("编码"), max_length=20, unique=True)
    category = models.CharField(_("大类"), max_length=40)
    name = models.CharField(_("职责"), max_length=100)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        ordering = ["sort", "code"]
        verbose_name = _("职责类型")
        verbose_name_plural = _("职责类型")

    def __str__(self) -> str:
        return f"{self.category}·{self.name}"


class GridStaff(models.Model):
    """A person serving one grid: grid worker, liaison Party member, or a deputy/CPPCC informant."""

    class Kind(models.TextChoices):
        FULL_TIME = "full_time", _("专职网格员")
        PART_TIME = "part_time", _("兼职网格员")
        LIAISON = "liaison", _("联户党员")
        DEPUTY = "deputy", _("人大代表（兼职网格信息员）")
        CPPCC = "cppcc", _("政协委员（兼职网格信息员）")

    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="staff")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="grid_posts"
    )
    name = models.CharField(_("姓名"), max_length=40)
    phone = models.CharField(_("电话"), max_length=20)
    kind = models.CharField(_("身份"), max_length=12, choices=Kind.choices)
    is_leader = models.BooleanField(_("网格长"), default=False)
    duties = models.ManyToManyField(DutyType, blank=True, related_name="staff", verbose_name=_("职责"))
    valid_from = models.DateField(_("任职日期"))
    valid_to = models.DateField(_("离任日期"), null=True, blank=True)

    class Meta:
        ordering = ["grid", "-is_leader", "kind", "name"]
        indexes = [models.Index(fields=["user", "valid_to"], name="gridstaff_user_current_idx")]
        verbose_name = _("网格人员")
        verbose_name_plural = _("网格人员")

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"


class Tag(models.Model):
    """A household tag (独居老人, 低保 …) as data; a tag may shorten the visit interval."""

    code = models.CharField(_("编码"), max_length=30, unique=True)
    name = models.CharField(_("名称"), max_length=30, unique=True)
    visit_interval_days = models.PositiveSmallIntegerField(
        _("走访间隔（天）"), null=True, blank=True, help_text=_("留空表示按月走访。")
    )
    basis = models.CharField(_("依据"), max_length=200, blank=True)
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort", "code"]
        verbose_name = _("户标签")
        verbose_name_plural = _("户标签")

    def __str__(self) -> str:
        return self.name


class Household(models.Model):
    """A household (户) in a grid, looked after by a liaison member.

    ``last_visited_at`` and ``visit_due_on`` are kept by the visit services so that coverage and
    the overdue list are indexed counts, never a scan of the visits.
    """

    grid = models.ForeignKey(Grid, on_delete=models.PROTECT, related_name="households")
    number = models.CharField(_("户号"), max_length=30)
    address = models.CharField(_("住址"), max_length=200)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    liaison = models.ForeignKey(
        GridStaff,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="households",
        verbose_name=_("联户党员"),
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="households", verbose_name=_("标签"))
    resident_count = models.PositiveSmallIntegerField(_("人口数"), default=0)
    last_visited_at = models.DateTimeField(_("最近走访"), null=True, blank=True)
    visit_due_on = models.DateField(_("应走访日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["grid", "number"]
        constraints = [models.UniqueConstraint(fields=["grid", "number"], name="household_grid_number_unique")]
        indexes = [
            models.Index(fields=["last_visited_at"], name="household_last_visit_idx"),
            models.Index(fields=["grid", "last_visited_at"], name="household_grid_visit_idx"),
            models.Index(fields=["grid", "visit_due_on"], name="household_grid_due_idx"),
            models.Index(fields=["liaison", "visit_due_on"], name="household_liaison_due_idx"),
        ]
        verbose_name = _("住户")
        verbose_name_plural = _("住户")

    def __str__(self) -> str:
        return f"{self.number} {self.address}"


class GridVisitMonth(models.Model):
    """How many of a grid's households had their latest visit in a month, kept by ``visit_record``.

    A month's coverage is then a sum over grids (about 10,000 rows for a city), not a count over
    every household or a scan of the visits. ``grid_counts_rebuild`` recomputes it after a bulk load.
    """

    grid = models.ForeignKey(Grid, on_delete=models.CASCADE, related_name="visit_months")
    month = models.DateField(_("月份"))
    visited = models.PositiveIntegerField(_("已走访户数"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["grid", "month"], name="grid_visit_month_unique")]
        indexes = [models.Index(fields=["month", "grid"], name="grid_visit_month_idx")]
        verbose_name = _("网格月度走访户数")
        verbose_name_plural = _("网格月度走访户数")

    def __str__(self) -> str:
        return f"{self.grid_id} {self.month:%Y-%m}: {self.visited}"


class Resident(models.Model):
    """A member of a household. The ID number is validated (GB 11643) and shown masked by default."""

    class Relation(models.TextChoices):
        HEAD = "head", _("户主")
        SPOUSE = "spouse", _("配偶")
        CHILD = "child", _("子女")
        PARENT = "parent", _("父母")
        GRANDCHILD = "grandchild", _("孙子女")
        OTHER = "other", _("其他")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="residents")
    name = models.CharField(_("姓名"), max_length=40)
    id_number = models.CharField(_("身份证号"), max_length=18, unique=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    relation = models.CharField(_("与户主关系"), max_length=12, choices=Relation.choices, default=Relation.OTHER)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)

    class Meta:
        ordering = ["household", "id"]
        verbose_name = _("居民")
        verbose_name_plural = _("居民")

    def __str__(self) -> str:
        return self.name


class VisitPlan(models.Model):
    """How often a household is visited when its tags' rule is not what the grid wants.

    ``interval_days`` empty means once per calendar month (沂源 历山街道: "原则上要求每月走访一次").
    """

    household = models.OneToOneField(Household, on_delete=models.CASCADE, related_name="visit_plan")
    interval_days = models.PositiveSmallIntegerField(_("走访间隔（天）"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("走访计划")
        verbose_name_plural = _("走访计划")

    def __str__(self) -> str:
        return f"{self.household_id}: {self.interval_days or 'monthly'}"


class Visit(models.Model):
    """One entry of the 走访写实簿: who visited which household, when, how, what was found."""

    class Channel(models.TextChoices):
        HOME = "home", _("入户")
        PHONE = "phone", _("电话")
        FIELD = "field", _("田间地头")

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="visits")
    visitor = models.ForeignKey(GridStaff, on_delete=models.PROTECT, related_name="visits")
    visited_at = models.DateTimeField(_("走访时间"))
    channel = models.CharField(_("方式"), max_length=8, choices=Channel.choices, default=Channel.HOME)
    summary = models.TextField(_("走访情况"), blank=True)
    needs = models.TextField(_("需求诉求和意见建议"), blank=True)
    photo = models.CharField(_("照片"), max_length=255, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_at"]
        indexes = [
            models.Index(fields=["household", "visited_at"], name="visit_household_at_idx"),
            models.Index(fields=["visited_at"], name="visit_at_idx"),
        ]
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")

    def __str__(self) -> str:
        return f"{self.household_id} {self.visited_at:%Y-%m-%d %H:%M}"


class VisitFinding(models.Model):
    """Something a visit found, by category; it may become, in one step, an appeal in the 12345 loop or a
    proxy application (网格代办) in the service hall, once."""

    class Category(models.TextChoices):
        # After the duties in 滨州市社会治理网格化服务管理条例 Art. 3.
        LIVELIHOOD = "livelihood", _("民生需求")
        DISPUTE = "dispute", _("矛盾纠纷")
        SAFETY = "safety", _("安全隐患")
        ENVIRONMENT = "environment", _("环境卫生")
        POLICY = "policy", _("政策咨询")
        OTHER = "other", _("其他")

    class Outcome(models.TextChoices):
        OPEN = "open", _("待处理")
        RESOLVED = "resolved", _("当场解决")
        APPEAL = "appeal", _("已转诉求")
        APPLICATION = "proxy", _("已转代办")

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="findings")
    category = models.CharField(_("类别"), max_length=12, choices=Category.choices)
    text = models.TextField(_("内容"))
    outcome = models.CharField(_("处理"), max_length=10, choices=Outcome.choices, default=Outcome.OPEN)
    appeal = models.ForeignKey(
        "appeals.Appeal", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("诉求")
    )
    application = models.ForeignKey(
        "applications.Application",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("代办办件"),
    )
    converted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["visit", "id"]
        verbose_name = _("走访发现")
        verbose_name_plural = _("走访发现")

    def __str__(self) -> str:
        return f"{self.get_category_display()}：{self.text[:30]}"


from .tasks_models import GridTask, GridTaskAssignment  # noqa: E402  (registered with the app's models)

__all__ = [
    "Crs",
    "DutyType",
    "Grid",
    "GridBoundary",
    "GridStaff",
    "GridTask",
    "GridTaskAssignment",
    "GridVisitMonth",
    "Household",
    "Resident",
    "Tag",
    "Visit",
    "VisitFinding",
    "VisitPlan",
]
