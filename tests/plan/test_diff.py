"""The diff engine on hand-built resources: no backend involved."""

from __future__ import annotations

from monaco.plan.diff import diff, field_changes
from monaco.plan.model import Action, Plan, Resource


def _r(name: str, body: dict, owned: bool = True, kind: str = "thing") -> Resource:
    return Resource(kind, name, body, owned)


def test_create_update_delete_and_unchanged_are_ordered_by_key() -> None:
    """Creates and updates in key order, then deletes; equal bodies count as unchanged."""
    desired = [_r("b", {"v": 2}), _r("a", {"v": 1}), _r("c", {"v": 3})]
    live = [_r("a", {"v": 1}), _r("b", {"v": 1}), _r("z", {"v": 9})]
    plan, refusals = diff("t", "k", desired, live)
    assert refusals == []
    assert [(c.action, c.key) for c in plan.changes] == [
        (Action.UPDATE, "thing.b"),
        (Action.CREATE, "thing.c"),
        (Action.DELETE, "thing.z"),
    ]
    assert plan.unchanged == 1


def test_unowned_live_resources_are_never_deleted_and_never_overwritten() -> None:
    """An unowned resource missing from specs is left alone; one with a desired key is a refusal."""
    plan, refusals = diff("t", "k", [_r("a", {"v": 1})], [_r("a", {"v": 0}, owned=False), _r("x", {}, owned=False)])
    assert plan.changes == []
    assert [d.code for d in refusals] == ["MON410"]


def test_replace_when_the_backend_says_so() -> None:
    """The backend's `requires_replace` turns an update into a replace (one add and one destroy)."""
    plan, _ = diff("t", "k", [_r("a", {"file": "new"})], [_r("a", {"file": "old"})], lambda b, a: True)
    assert [c.action for c in plan.changes] == [Action.REPLACE]
    assert Plan([plan]).totals() == (1, 0, 1)


def test_field_changes_are_leaf_paths_with_absence_marked() -> None:
    """Nested dicts and equal-length lists diff leaf by leaf."""
    before = {"a": {"b": 1, "c": [1, 2]}, "gone": True}
    after = {"a": {"b": 2, "c": [1, 3]}, "new": "x"}
    assert field_changes(before, after) == [
        ("a.b", 1, 2),
        ("a.c[1]", 2, 3),
        ("gone", True, ...),
        ("new", ..., "x"),
    ]


def test_plan_json_round_trips() -> None:
    """A saved plan reads back to the same changes and fingerprints."""
    plan, _ = diff("t", "k", [_r("a", {"v": 1})], [_r("b", {"v": 2})])
    again = Plan.from_json(Plan([plan]).to_json())
    assert again.to_json() == Plan([plan]).to_json()
