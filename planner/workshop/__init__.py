"""Workshop mode beyond the store: what the trainer's dashboard and the end of a workshop need.

report.py gives one row per participant (completeness overall and per step, the doctor's errors and
warnings, where they are and when they were last seen); bundle.py writes the one ZIP with every
participant's plan as PDF and DOCX and a summary spreadsheet. The workshops themselves (codes,
participants, their plans, trainer keys, resume tokens) live in planner.store.workshops.

May use models, the shared basics, plan_core, plan, export and store (it reads the store and runs
the plan doctor and the exports on what it reads); nothing below it imports it back."""

from planner.workshop.bundle import workshop_zip, zip_names
from planner.workshop.report import workshop_report

__all__ = ["workshop_report", "workshop_zip", "zip_names"]
