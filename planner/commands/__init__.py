"""Sub-commands of `python -m planner`, one module each (see planner/cli.py)."""
