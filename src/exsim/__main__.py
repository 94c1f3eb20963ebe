"""`python -m exsim`."""

from exsim.cli import run_main

run_main()
