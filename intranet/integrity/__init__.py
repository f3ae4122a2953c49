"""The tamper-evident history: the hash chain written on every commit, the signed
checkpoints, verification, and the integrity service and command line."""

from flask import Flask


def init_app(app: Flask) -> None:
    from intranet.integrity import chain, cli  # noqa: F401  (chain registers its listeners)

    cli.init_app(app)
