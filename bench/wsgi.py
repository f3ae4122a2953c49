"""The application as gunicorn serves it in production, plus one extra route for the
benchmark: files from BENCH_STATIC_DIR, sent by the same Flask static-file machinery as
/static, to compare a page with a static file of the same size."""

import os

from flask import send_from_directory

from intranet import create_app

app = create_app()
_static_dir = os.environ.get("BENCH_STATIC_DIR")
if _static_dir:

    @app.get("/bench-static/<path:filename>")
    def bench_static(filename: str):
        return send_from_directory(_static_dir, filename)
