"""Footage checks: one decode pass into shared samples, then small checks in a registry."""
