"""The whole graph at once: positions computed once per data-as-of stamp, sent compactly."""
