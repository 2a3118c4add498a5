"""The pure core of the workbench: no streamlit here (tests/unit/test_layering.py enforces it)."""
