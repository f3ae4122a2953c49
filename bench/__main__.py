"""python -m bench --db sqlite|postgresql|both [--scale 1.0] [--quick] [--duration 30]

Builds a synthetic municipality at 1/10 of the scale and at the full scale (the cost curve),
plus a copy of the full scale without its long history (does history depth matter?), and
prints each target's ratio, measured side by side in this one run.
"""

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import generate, load, measure
from bench.databases import drop_database, fresh_database, make_app, migrate
from bench.report import render

RESULTS = Path(__file__).resolve().parent / "results"
# Verify reads every row several times over: a few timed runs give a stable median.
VERIFY_REPEATS = 5


def build(kind: str, name: str, scale: float, workdir: Path, shallow: bool = False) -> dict:
    """A fresh database with the municipality at `scale`; returns its URL and figures.

    `shallow` keeps the same current data but writes each record once (no edit history)."""
    url = fresh_database(kind, name, workdir)
    app = make_app(url)
    migrate(app)
    started = time.perf_counter()
    with app.app_context():
        town = generate.build_structure(scale)
        structure = time.perf_counter() - started
        steps = generate.plan_history(town, scale)
        if shallow:
            steps = generate.collapse_history(steps)
        generate.write_steps_bulk(steps)
        seconds = time.perf_counter() - started
        versions = generate.version_rows()
    from intranet.extensions import db

    with app.app_context():
        db.engine.dispose()
    return {
        "url": url,
        "scale": scale,
        "sub_goals": len(town.sub_goals),
        "transactions": len(steps) + 2,
        "version_rows": versions,
        "generation_s": round(seconds, 1),
        "structure_s": round(structure, 1),
    }


def measure_scale(kind, built, repeats, duration, shallow=None, log=print) -> dict:
    app = make_app(built["url"], WTF_CSRF_ENABLED=False)
    figures = {key: value for key, value in built.items() if key != "url"}
    # An auditor: the matrix as of a date is history, which viewers do not see.
    reader = measure.Visitor(app, "auditor06")
    log(f"  matrix ({built['scale']}) …")
    figures.update(measure.matrix_figures(app, reader, repeats))
    if shallow is not None:
        log("  as-of on a short against a long history …")
        shallow_app = make_app(shallow["url"], WTF_CSRF_ENABLED=False)
        figures.update(
            measure.as_of_depth(measure.Visitor(shallow_app, "auditor06"), reader, repeats)
        )
        figures["shallow_version_rows"] = shallow["version_rows"]
        _dispose(shallow_app)
    # The audit log first: the saves below add one-change transactions to its first page.
    log("  audit log …")
    figures.update(measure.audit_figures(app, measure.Visitor(app, "auditor05"), repeats))
    if "audit_skipped" in figures:
        log(f"  note: audit log skipped: {figures['audit_skipped']}")
    # Before the saves too: half of them are unversioned, which verify rightly reports.
    log("  verify (chain, records, checkpoints) against a plain SELECT …")
    figures.update(measure.verify_figures(app, min(repeats, VERIFY_REPEATS)))
    log("  follow-up saves …")
    figures.update(measure.save_figures(app, measure.Visitor(app, "admin01"), repeats))
    _dispose(app)
    if duration:
        log(f"  gunicorn under load ({duration:g} s mixed) …")
        figures["load"] = load.run_load(built["url"], duration)
    return figures


def _dispose(app) -> None:
    from intranet.extensions import db

    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def run_database(kind: str, args, workdir: Path) -> dict:
    scales = [args.scale] if args.no_curve else [round(args.scale / 10, 4), args.scale]
    result = {"database": kind, "scales": {}}
    for scale in scales:
        tag = str(scale).replace(".", "_")
        print(f"[{kind}] generating scale {scale} …", flush=True)
        built = build(kind, f"bench_deep_{tag}", scale, workdir)
        print(
            f"  {built['version_rows']} version rows, {built['transactions']} transactions "
            f"in {built['generation_s']} s",
            flush=True,
        )
        shallow = None
        if scale == args.scale:
            shallow = build(kind, f"bench_shallow_{tag}", scale, workdir, shallow=True)
            print(f"  shallow copy: {shallow['version_rows']} version rows", flush=True)
        result["scales"][str(scale)] = measure_scale(
            kind, built, args.repeats, args.duration, shallow, lambda m: print(m, flush=True)
        )
        if not args.keep:
            drop_database(built["url"])
            if shallow:
                drop_database(shallow["url"])
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--db", default="sqlite", choices=("sqlite", "postgresql", "both"))
    parser.add_argument(
        "--scale", type=float, default=1.0, help="1.0 = 400 sub-goals, 200k versions"
    )
    parser.add_argument("--quick", action="store_true", help="5 repeats and 5 s of load")
    parser.add_argument("--repeats", type=int, default=None, help="timed runs per figure (15)")
    parser.add_argument(
        "--duration", type=float, default=None, help="seconds of load (30; 0 skips)"
    )
    parser.add_argument("--no-curve", action="store_true", help="skip the 1/10 scale")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL databases")
    args = parser.parse_args(argv)
    if args.repeats is None:
        args.repeats = 5 if args.quick else 15
    if args.duration is None:
        args.duration = 5.0 if args.quick else 30.0
    kinds = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    # The app reads its configuration at import; keep generated secrets out of the way.
    os.environ.setdefault("SECRET_KEY", "bench-secret-key")
    results = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "arguments": vars(args),
        "databases": [run_database(kind, args, workdir) for kind in kinds],
    }
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"bench-{stamp}-{args.db}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print()
    print(render(results))
    print(f"\nResults written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
