"""Labels for choices that must stay distinct.

Streamlit's select widgets send the chosen label back and map it to an option, so two options with
the same label are one option to them. Whatever is chosen by label (plans, examples) is labelled
through `distinct_labels`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable


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
