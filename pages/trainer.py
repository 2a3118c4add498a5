"""Placeholder: filled in by its own issue."""

from pages.ui import layout

layout.placeholder("trainer")
