"""The app's view models: what a screen or widget shows, computed without Textual.

Nothing in this package imports Textual (tests/test_structure.py checks it), so each view
can be tested as plain data, and the CLI can share one (`terminal_text`) without loading
the app.
"""
