"""A person's form lists their own teams first: they are in one or two of hundreds."""

from __future__ import annotations

from werkplek.people.schemas import TeamOut
from werkplek.people.services import chosen_teams_first


def test_chosen_teams_come_first_each_part_in_its_own_order() -> None:
    teams = [TeamOut(id=n, name=name, description="", member_count=0) for n, name in
             enumerate(["Archief", "Burgerzaken", "KCC", "WMO"], start=1)]  # fmt: skip

    ordered = chosen_teams_first(teams, ["4", 2])

    assert [team.name for team in ordered] == ["Burgerzaken", "WMO", "Archief", "KCC"]
