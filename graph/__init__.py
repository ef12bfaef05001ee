"""The graph side of Ecomap: model, settings, store, loading, the query library, exploring."""
