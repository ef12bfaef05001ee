"""The web side of Ecomap: the Flask app, its views and renderers, and the command line."""
