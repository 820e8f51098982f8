"""SimulatorEra: the same values the core's SIMULATOR_ERA setting accepts, and clear errors for others."""

from __future__ import annotations

import pytest

from simulator import SimulatorEra, SimulatorState, create_simulator_app
from suno.config import SIMULATOR_ERAS, Settings


def test_the_enum_and_the_setting_accept_the_same_eras() -> None:
    assert tuple(era.value for era in SimulatorEra) == SIMULATOR_ERAS


def test_the_default_setting_names_the_default_era() -> None:
    assert SimulatorEra(Settings().simulator_era) is SimulatorState().era is SimulatorEra.SUNO_2026


@pytest.mark.parametrize("value", SIMULATOR_ERAS)
def test_an_era_setting_reaches_the_state_as_the_enum(value: str) -> None:
    state = create_simulator_app(era=value).state
    assert state.era is SimulatorEra(value) and state.era == value


def test_an_unknown_era_is_refused_with_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown era '1999'; known: 2024, 2026"):
        SimulatorState(era="1999")
