"""``python -m assistant`` behaves exactly like the ``tunesmith`` command."""

import sys

from assistant.cli import main

sys.exit(main())
