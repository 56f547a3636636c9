"""The Textual app. Imported only when the app runs: the headless commands never load Textual."""
