"""Many devices at once, for the shutdown and load tests."""
