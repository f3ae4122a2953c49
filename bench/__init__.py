"""A benchmark of Handlingsplan at the scale of a large municipality.

Run it with `python -m bench` (see the README's Performance section). It is not a test:
nothing in CI runs it or fails on it; tests/bench/ only keeps the code from rotting.
"""
