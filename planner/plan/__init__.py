"""The guided method: the plan doctor, completeness, the one-page summary, quick path, hints,
rituals, seed roles, lifecycle helpers, plan comparison, examples and the plan's own charts.
May use plan_core, sop (its design checks feed the doctor), data (the metrics a KPI can name) and
the shared basics."""
