import sys

from letter_tui.cli import main

sys.exit(main())
