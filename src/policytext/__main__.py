"""``python -m policytext``: the command line."""

import sys

from policytext.cli import main

sys.exit(main())
