"""The `banzu` command line: the top layer beside `flows/` and `web/`.

`commands/main.py` holds the typer app; each topic adds its commands in a module of its own here and
registers them in main.py with a line or two.
"""
