"""Tests of shared classes: the logic, the screens, the server and a real browser."""
