"""The pure core of letter-tui: alphabets, the network, noise, models, data paths.

Nothing in this package imports Textual; the app, the CLI and the SSH server all call into it.
"""
