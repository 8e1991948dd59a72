"""Rule families, one module each; importing this package registers them all."""

from . import codes, coded, cross, economic, fixed, inputs, prior, sanity  # noqa: F401
from . import perf, perf_cross  # noqa: F401  (绩效自评表: report.perf)
from . import regional  # noqa: F401  (tables only some regions print: 内蒙古 表七、表十一)
from . import budget, budget_codes, budget_cross, budget_economic, budget_tables  # noqa: F401  (部门预算)
