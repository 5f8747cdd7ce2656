"""Fair selection of people (panels, lotteries, replacements): plain Python, no Django.

* :mod:`.model` — quotas, people, validation, interchangeable types;
* :mod:`.quotas` — quotas from population shares; feasibility and the smallest relaxations;
* :mod:`.leximin` — LEXIMIN and MAXIMIN by column generation on HiGHS;
* :mod:`.legacy` — the legacy greedy method, for comparison;
* :mod:`.lottery` — rounding to M equally likely panels, the seeded draw and its check;
* :mod:`.replace` — replacements against the remaining quotas;
* :mod:`.csvio` — the Sortition Foundation's CSV formats.
"""
