"""Writes for vulnerability mapping, by concern: indicators, regions, configurations and runs."""
