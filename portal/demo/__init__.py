"""Synthetic demo data and the identities of the mock eHerkenning provider."""
