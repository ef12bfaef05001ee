"""Feature blueprints: one module per group of pages and their JSON twins."""
