"""`python -m bot` is the same as `exit-interviews`."""

from bot.launch import main

main()
