"""`python -m bot` is the same as `exit-interviews`."""

from bot.cli import main

main()
