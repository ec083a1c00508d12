"""Benchmarks that wire the simulated QuickBooks (`fakeqb`) and the sync engine (`syncer`) together."""
