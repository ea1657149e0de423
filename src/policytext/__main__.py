"""``python -m policytext``: the command line."""

import sys

from policytext.cli import main

if __name__ == "__main__":
    sys.exit(main())
