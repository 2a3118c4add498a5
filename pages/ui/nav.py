"""The page list, in one place: app.py builds navigation from it, links and tests use its paths."""

from __future__ import annotations

from typing import NamedTuple


class PageSpec(NamedTuple):
    path: str  # file, relative to the project root
    url: str  # stable URL path
    title_key: str
    icon: str  # a Material icon: emoji show as empty boxes where no emoji font is installed (servers, office PCs)
    section: str  # locale key of the navigation section
    server_only: bool = False  # shown only when people sign in (server mode)
    for_participants: bool = False  # a workshop participant's pages: their plan's steps, check, export
    hidden: bool = False  # reachable by its address and links, not listed in the sidebar


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/home.py", "home", "page.home", ":material/home:", "nav.start"),
    PageSpec("pages/plans.py", "plans", "page.plans", ":material/folder_open:", "nav.start"),
    PageSpec("pages/quick_path.py", "quick", "page.quick_path", ":material/bolt:", "nav.start"),
    PageSpec("pages/research.py", "research", "page.research", ":material/search:", "nav.plan", for_participants=True),
    PageSpec("pages/elements.py", "elements", "page.elements", ":material/extension:", "nav.plan",
             for_participants=True),
    PageSpec("pages/positioning.py", "positioning", "page.positioning", ":material/my_location:", "nav.plan",
             for_participants=True),
    PageSpec("pages/lifecycle.py", "lifecycle", "page.lifecycle", ":material/hourglass_top:", "nav.plan",
             for_participants=True),
    PageSpec("pages/roles.py", "roles", "page.roles", ":material/groups:", "nav.plan", for_participants=True),
    PageSpec("pages/sop.py", "sop", "page.sop", ":material/event_note:", "nav.plan", for_participants=True),
    PageSpec("pages/replication.py", "replication", "page.replication", ":material/eco:", "nav.plan",
             for_participants=True),
    PageSpec("pages/doctor.py", "doctor", "page.doctor", ":material/stethoscope:", "nav.check", for_participants=True),
    PageSpec("pages/data.py", "data", "page.data", ":material/bar_chart:", "nav.check", for_participants=True),
    PageSpec("pages/export.py", "export", "page.export", ":material/ios_share:", "nav.share", for_participants=True),
    PageSpec("pages/trainer.py", "trainer", "page.trainer", ":material/school:", "nav.share"),
    # opened from the trainer page
    PageSpec("pages/present.py", "present", "page.present", ":material/slideshow:", "nav.share", hidden=True),
    PageSpec("pages/workshop.py", "workshop", "page.workshop", ":material/co_present:", "nav.share"),
    PageSpec("pages/team.py", "team", "page.team", ":material/diversity_3:", "nav.share", server_only=True),
)

PAGE_BY_URL = {p.url: p for p in PAGES}

# The parts (tabs) of the pages that have them, by page URL: {section: its label's locale key}. The pages
# draw their tabs from here and the doctor's links name the part they open (planner.plan.doctor's
# SECTION_BY_RULE says which part a finding is about).
SECTIONS: dict[str, dict[str, str]] = {
    "elements": {"interest": "elements.tab.interest", "structure": "elements.tab.structure",
                 "content": "elements.tab.content", "operations": "elements.tab.operations"},
    "lifecycle": {"basics": "lifecycle.tab.basics", "stages": "lifecycle.section.stages",
                  "growth": "lifecycle.tab.growth", "kpis": "lifecycle.section.kpis"},
    "roles": {"roles": "roles.section.roles", "layers": "roles.section.layers",
              "incentives": "roles.section.incentives", "rituals": "roles.section.rituals"},
}


def pages_for(server: bool, participant: bool = False) -> tuple[PageSpec, ...]:
    """The pages to navigate: in solo mode (no sign-in) the team pages are left out; a workshop
    participant sees only their plan's steps, the doctor, member data and export."""
    if participant:
        return tuple(p for p in PAGES if p.for_participants)
    return tuple(p for p in PAGES if server or not p.server_only)
