"""Exports: the graph or a view as XLSX and CSV in the template's form, GraphML and GEXF."""
