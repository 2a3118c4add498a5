"""The group SOP: rules expanded to a dated schedule, design checks, rule edits, CSV/XLSX/ICS
files and the SOP charts. May use plan_core and the shared basics, never plan/ or data/."""
