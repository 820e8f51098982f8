"""Suno's challenges (captchas) and account health: the check flow, solvers, states, events, alerts."""
