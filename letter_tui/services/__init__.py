"""Textual-free services that the CLI, the app and the server share; never imports Textual."""
