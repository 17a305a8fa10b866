"""`python -m grader.gradescope [ROOT]`: grade the submission under ROOT (default /autograder)."""

import sys

from grader.gradescope.autograder import main

raise SystemExit(main(sys.argv[1:]))
