"""`python -m danvan ...`: the `danvan` command without its installed script."""

from .cli import app

app(prog_name="danvan")
