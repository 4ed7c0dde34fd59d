import sys

from opsnotes.cli import main

sys.exit(main())
