"""Footage checks: one decode pass -> shared samples -> small checks in a registry -> a report.

`report.analyse_clip(path)` is the entry point. `samples.collect_samples` decodes the clip once;
each check in `checks/` is an object with an `id` and `run(samples) -> list[Finding]`, listed in
`checks.REGISTRY`. A new check is one class in one module and one line in the registry; a
measurement that several checks share goes through `Samples.memo`, so it is made once.
"""
