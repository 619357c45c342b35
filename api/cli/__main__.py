"""``python -m api.cli``: the ``paperlane`` command without the installed script."""

import sys

from api.cli.commands import main

sys.exit(main())
