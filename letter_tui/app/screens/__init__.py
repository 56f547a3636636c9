"""One screen per module; activity screens are registered in `letter_tui.app.activities`."""
