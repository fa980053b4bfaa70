"""Imports every built-in integration module, so that each registers its handlers."""
