"""Labels for choices that must stay distinct.

Streamlit's select widgets send the chosen label back and map it to an option, so two options with
the same label are one option to them. Whatever is chosen by label (plans, examples) is labelled
through `distinct_labels`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime


def distinct_labels(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    """id -> label, where labels shared by several ids get a suffix (2), (3)… in the given order,
    and a suffix never collides with another item's own label."""
    pairs = list(items)
    counts = Counter(label for _, label in pairs)
    taken = set(counts)
    seen: Counter[str] = Counter()
    labels: dict[str, str] = {}
    for item_id, label in pairs:
        seen[label] += 1
        if counts[label] == 1 or seen[label] == 1:
            labels[item_id] = label
            continue
        n = seen[label]
        candidate = f"{label} ({n})"
        while candidate in taken:
            n += 1
            candidate = f"{label} ({n})"
        taken.add(candidate)
        labels[item_id] = candidate
    return labels


SHORT_ID = 6  # characters of a plan id shown to tell two plans of one name apart


def plan_labels(plans: Iterable[tuple[str, str, datetime]]) -> dict[str, str]:
    """plan id -> label for (id, title, last change) in order: a title no other plan has stays as
    it is; plans sharing a title are told apart by their last change's date and a short id
    ("早起营 · 2026-11-23 · #3f9a1c"), which a person can match with My plans and the address."""
    items = list(plans)
    counts = Counter(title for _, title, _ in items)
    shown = [
        (plan_id, title if counts[title] == 1
         else f"{title} · {changed.astimezone().strftime('%Y-%m-%d')} · #{plan_id[:SHORT_ID]}")
        for plan_id, title, changed in items
    ]
    return distinct_labels(shown)  # still the same (copies made within a day, ids alike): (2), (3)…
