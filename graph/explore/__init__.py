"""Exploring: entities, search, neighbourhoods, paths, common connections and the overview."""
