"""A stand-in for Suno and Clerk on loopback: same protocol, configurable timings, injectable failures."""

from __future__ import annotations

from simulator.app import SimulatorApp, create_simulator_app
from simulator.era import SimulatorEra
from simulator.settings import SIMULATED_ACCOUNT, simulator_settings, simulator_state_path
from simulator.state import FAULT_KINDS, Fault, SimAccount, SimulatorState

__all__ = [
    "FAULT_KINDS",
    "SIMULATED_ACCOUNT",
    "Fault",
    "SimAccount",
    "SimulatorApp",
    "SimulatorEra",
    "SimulatorState",
    "create_simulator_app",
    "simulator_settings",
    "simulator_state_path",
]
