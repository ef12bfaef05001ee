"""Editing the graph: changes with their evidence, revisions, review, revert and conflicts."""
