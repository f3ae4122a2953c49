"""Reads of lineage, now or as of a moment (through intranet.reading.snapshot): a sub-goal's whole
line across plans, the earlier years of continued sub-goals, and which sub-goals continue
which. A fixed number of queries whatever the length of a line: the links are one small
table, read at once and followed in memory."""

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select

from intranet.core.naturalsort import natural_key
from intranet.extensions import db
from intranet.models import (
    STATUSES,
    Activity,
    FocusArea,
    FollowUp,
    Plan,
    SubGoal,
    SubGoalLineage,
)
from intranet.reading.snapshot import Snapshot


@dataclass(frozen=True)
class Links:
    """The lineage links in force: later sub-goal -> the earlier ones it continues, and
    back."""

    earlier: dict[int, list[int]]
    later: dict[int, list[int]]

    def _closure(self, start: int, step: dict[int, list[int]]) -> list[int]:
        found, queue = [], list(step.get(start, []))
        while queue:
            record_id = queue.pop(0)
            if record_id not in found and record_id != start:
                found.append(record_id)
                queue.extend(step.get(record_id, []))
        return found

    def ancestors(self, sub_goal_id: int) -> list[int]:
        """Every sub-goal `sub_goal_id` continues, directly or through others."""
        return self._closure(sub_goal_id, self.earlier)

    def descendants(self, sub_goal_id: int) -> list[int]:
        return self._closure(sub_goal_id, self.later)


def read_links(snapshot: Snapshot) -> Links:
    table = snapshot.table(SubGoalLineage)
    earlier, later = defaultdict(list), defaultdict(list)
    for row in db.session.execute(
        select(table.sub_goal_id, table.continues_id)
        .where(snapshot.existing(table))
        .order_by(table.sub_goal_id, table.continues_id)
    ):
        earlier[row.sub_goal_id].append(row.continues_id)
        later[row.continues_id].append(row.sub_goal_id)
    return Links(dict(earlier), dict(later))


@dataclass
class YearStatus:
    year: int
    status: str | None

    @property
    def status_label(self) -> str | None:
        return str(STATUSES[self.status]) if self.status in STATUSES else None


@dataclass
class LineMember:
    """One sub-goal of a line, with its plan and its years' statuses."""

    sub_goal_id: int
    code: str
    title: str
    plan_id: int
    plan_title: str
    start_year: int
    end_year: int
    continues: list[int] = field(default_factory=list)
    statuses: dict[int, str] = field(default_factory=dict)
    # Its planned activities, and how many of them are done: an earlier plan may have been
    # followed up by its activities rather than by yearly follow-ups.
    activities: int = 0
    activities_done: int = 0

    @property
    def years(self) -> list[YearStatus]:
        return [
            YearStatus(year, self.statuses.get(year))
            for year in range(self.start_year, self.end_year + 1)
        ]

    @property
    def sort_key(self) -> tuple:
        return (self.start_year, self.plan_id, natural_key(self.code))


def load_members(snapshot: Snapshot, ids: list[int], links: Links) -> dict[int, LineMember]:
    """The sub-goals of `ids` visible at the snapshot (an archived sub-goal, focus area or
    plan hides it), with their statuses and activity counts: three queries."""
    if not ids:
        return {}
    sub_goals, areas, plans = (snapshot.table(m) for m in (SubGoal, FocusArea, Plan))
    members = {}
    for row in db.session.execute(
        select(
            sub_goals.id,
            sub_goals.code,
            sub_goals.title,
            plans.id.label("plan_id"),
            plans.title.label("plan_title"),
            plans.start_year,
            plans.end_year,
        )
        .join(areas, areas.id == sub_goals.focus_area_id)
        .join(plans, plans.id == areas.plan_id)
        .where(
            sub_goals.id.in_(ids),
            snapshot.visible(sub_goals),
            snapshot.visible(areas),
            snapshot.visible(plans),
        )
    ):
        members[row.id] = LineMember(
            row.id,
            row.code,
            row.title,
            row.plan_id,
            row.plan_title,
            row.start_year,
            row.end_year,
            list(links.earlier.get(row.id, [])),
        )
    for row in snapshot.rows(FollowUp, lambda t: t.sub_goal_id.in_(list(members))):
        members[row.sub_goal_id].statuses[row.year] = row.status
    for row in snapshot.rows(Activity, lambda t: t.sub_goal_id.in_(list(members))):
        member = members[row.sub_goal_id]
        member.activities += 1
        member.activities_done += row.status == "done"
    return members


@dataclass
class Line:
    """A sub-goal's line: what it continues (earlier) and what continues it (later), each
    in plan order, and the sub-goal itself."""

    current: LineMember
    earlier: list[LineMember]
    later: list[LineMember]

    @property
    def members(self) -> list[LineMember]:
        return [*self.earlier, self.current, *self.later]

    @property
    def first_year(self) -> int:
        return min(member.start_year for member in self.members)

    @property
    def last_year(self) -> int:
        return max(member.end_year for member in self.members)

    @property
    def codes(self) -> dict[int, str]:
        return {member.sub_goal_id: member.code for member in self.members}


def load_line(snapshot: Snapshot, sub_goal_id: int) -> Line | None:
    """The whole line of the sub-goal as it stood at the snapshot; None when it has no
    visible earlier or later sub-goal (or is not visible itself). Four queries."""
    links = read_links(snapshot)
    earlier, later = links.ancestors(sub_goal_id), links.descendants(sub_goal_id)
    if not earlier and not later:
        return None
    members = load_members(snapshot, [sub_goal_id, *earlier, *later], links)
    if sub_goal_id not in members:
        return None

    def ordered(ids):
        return sorted((members[i] for i in ids if i in members), key=lambda m: m.sort_key)

    line = Line(members[sub_goal_id], ordered(earlier), ordered(later))
    return line if line.earlier or line.later else None


def earlier_members(snapshot: Snapshot, sub_goal_ids: list[int]) -> dict[int, list[LineMember]]:
    """For each sub-goal, the visible sub-goals it continues (directly or not), oldest plan
    first; sub-goals that continue none are left out. Four queries."""
    links = read_links(snapshot)
    wanted = {sub_goal_id: links.ancestors(sub_goal_id) for sub_goal_id in sub_goal_ids}
    members = load_members(snapshot, sorted({i for ids in wanted.values() for i in ids}), links)
    result = {}
    for sub_goal_id, ids in wanted.items():
        found = sorted((members[i] for i in ids if i in members), key=lambda m: m.sort_key)
        if found:
            result[sub_goal_id] = found
    return result
