"""The web kit every blueprint is written with: the view toolkit, layout and error pages,
security headers, forms and field adapters, query arguments, uploads, spreadsheets, file
names and the user's language."""

from flask import Flask


def init_app(app: Flask) -> None:
    from intranet.web import i18n, layout, security

    security.init_app(app)
    layout.init_app(app)
    i18n.init_app(app)
