"""The sync: one complete run, both directions, on the scenario's present day."""

from __future__ import annotations

from pytest_bdd import given, when

from steps.sentences import Sentence
from steps.world import World


@given(Sentence("the sync runs"))
@when(Sentence("the sync runs"))
def sync_runs(world: World) -> None:
    world.today()
    world.sync()
