"""The error codes grid management answers with (besides core's not_found, forbidden, validation_failed).

Imports report their problems row by row in a report instead of raising; these codes are for
the single-record services and the point lookup.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from huying.core.errors import ErrorCatalogue

codes = ErrorCatalogue("grids")
OUTSIDE_GRIDS = codes.add("outside_grids", _("该位置不在任何现行网格内。"))
INVALID_GEOMETRY = codes.add("invalid_geometry", _("网格边界不是有效的多边形。"))
GRID_OVERLAP = codes.add("grid_overlap", _("网格边界与其他现行网格重叠。"))
INVALID_GRID_CODE = codes.add("invalid_grid_code", _("网格编码应为12位统计用区划代码加3位顺序号。"))
NOT_GRID_STAFF = codes.add("not_grid_staff", _("只有本网格的网格员或联户党员可以执行此操作。"))
FINDING_CONVERTED = codes.add("finding_converted", _("该走访发现已转为诉求，不能重复转办。"))
UNKNOWN_SERVICE_ITEM = codes.add("unknown_service_item", _("事项编码不存在或已停用。"))
VISIT_IN_FUTURE = codes.add("visit_in_future", _("走访时间不能晚于当前时间。"))
PHOTO_UNREADABLE = codes.add("photo_unreadable", _("照片无法识别。"))
TASK_GRID_OUTSIDE = codes.add("task_grid_outside", _("任务只能下达给本单位辖区内的现行网格。"))
TASK_NO_GRIDS = codes.add("task_no_grids", _("请至少选择一个网格。"))
