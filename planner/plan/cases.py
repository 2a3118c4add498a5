"""The famous cases the method's sources teach with, retold as short trainer notes.

Each note says what the community did and which element of the method it shows, and belongs to
the step where a trainer would open it. The texts are in the catalogs (`case.<id>.title`,
`.did`, `.shows`), written in our own words.
"""

from __future__ import annotations

from dataclasses import dataclass

from models.problems import Step


@dataclass(frozen=True)
class CaseNote:
    id: str
    steps: tuple[Step, ...]

    @property
    def title_key(self) -> str:
        return f"case.{self.id}.title"

    @property
    def did_key(self) -> str:
        return f"case.{self.id}.did"

    @property
    def shows_key(self) -> str:
        return f"case.{self.id}.shows"


CASES: tuple[CaseNote, ...] = (
    CaseNote("xiaomi", (Step.ELEMENTS, Step.ROLES)),
    CaseNote("luoji", (Step.POSITIONING, Step.SOP)),
    CaseNote("starbucks", (Step.POSITIONING,)),
    CaseNote("shidian", (Step.ELEMENTS,)),
    CaseNote("early_rise", (Step.LIFECYCLE, Step.ROLES)),
    CaseNote("baoma", (Step.POSITIONING, Step.LIFECYCLE)),
    CaseNote("ecommerce", (Step.LIFECYCLE,)),
    CaseNote("writing_007", (Step.LIFECYCLE, Step.REPLICATION)),
    CaseNote("mcdonalds", (Step.SOP,)),
)


def notes_for(step: Step) -> list[CaseNote]:
    """The case notes a trainer opens next to `step`, in teaching order."""
    return [case for case in CASES if step in case.steps]
