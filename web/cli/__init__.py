"""The `ecomap` command line."""
