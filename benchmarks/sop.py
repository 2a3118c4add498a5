"""Benchmark: the SOP page's work for one rerun on a long lifecycle.

    python benchmarks/sop.py [--days 365] [--rules 30] [--repeat 3]

Expands a plan with `--rules` rules (a mix of daily, weekly, day-N and absolute triggers) over
`--days` days, then runs the design checks, builds both charts and writes CSV, XLSX and ICS. Prints
each step's time (best of --repeat), the task count, the chart row counts against the 5,000-row
cap, and the ratio of the page's work (expand + checks + charts + table) to the bare expansion.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from datetime import time as tod
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timing import best

from models.plan import Plan, Role
from models.sop import SopRule, Trigger, TriggerKind
from planner.sop import charts as charts_sop
from planner.sop import checks as sop_checks
from planner.sop import files as sop_export
from planner.sop import schedule as sop


def make_plan(days: int, rules: int) -> Plan:
    plan = Plan()
    plan.lifecycle.length_days = days
    plan.lifecycle.start_date = date(2026, 1, 5)
    plan.roles = [Role(id=f"r{i}", name=f"角色{i}", hours_per_week=10, headcount=1 + i % 2) for i in range(6)]
    kinds = [
        Trigger(kind=TriggerKind.WEEKLY, weekdays=list(range(7)), at_time=tod(8, 30)),
        Trigger(kind=TriggerKind.WEEKLY, weekdays=[0, 3], at_time=tod(19, 0)),
        Trigger(kind=TriggerKind.GROUP_DAY, day=days // 2, at_time=tod(20, 0)),
        Trigger(kind=TriggerKind.ABSOLUTE, at=datetime(2026, 2, 14, 12, 0)),
    ]
    plan.sop.rules = [
        SopRule(name=f"规则{i}", owner_role=f"r{i % 6}", minutes=10 + i % 4 * 5, is_marketing=i % 5 == 0,
                script="{member_name} 第{day}天 {goal}", trigger=kinds[i % len(kinds)])
        for i in range(rules)
    ]
    return plan


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--rules", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    plan = make_plan(args.days, args.rules)
    t_expand, schedule = best(lambda: sop.expand(plan), args.repeat)
    steps = {
        "checks": lambda: sop_checks.design_findings(plan),
        "gantt": lambda: charts_sop.gantt(plan, schedule, "zh").to_dict(),
        "workload": lambda: charts_sop.workload_heatmap(plan, schedule, "zh").to_dict(),
        "table": lambda: sop_export.schedule_frame(schedule, plan, "zh"),
        "csv": lambda: sop_export.to_csv(schedule, plan, "zh"),
        "xlsx": lambda: sop_export.to_xlsx(schedule, plan, "zh"),
        "ics": lambda: sop_export.to_ics(schedule, plan, "zh"),
    }
    print(f"{args.days} days, {args.rules} rules → {len(schedule.tasks)} tasks")
    print(f"expand     {t_expand * 1000:8.1f} ms")
    timings = {}
    for name, fn in steps.items():
        timings[name], _ = best(fn, args.repeat)
        print(f"{name:<10} {timings[name] * 1000:8.1f} ms")
    print(f"gantt rows {len(charts_sop.gantt_data(plan, schedule, 'zh'))}, workload rows "
          f"{len(charts_sop.workload_data(plan, schedule, 'zh'))} (cap {charts_sop.MAX_POINTS})")
    page = t_expand + sum(timings[k] for k in ("checks", "gantt", "workload", "table"))
    print(f"page rerun / expand ratio: {page / t_expand:.1f}×  (page rerun {page * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
