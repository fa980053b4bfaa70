"""Imports every built-in integration module, so that each registers its handlers."""

from sfnlocal.mocks.services import states  # noqa: E402, F401
