"""The results as Markdown tables: one per database, then the cost curve."""

TARGETS = (
    # key, label, limit (a ratio must be at most this), figure at the top of the scale
    ("matrix_vs_floor", "1. Matrix, all sub-goals and years: server / render floor", 3.0),
    ("as_of_vs_current", "2a. As-of matrix / current matrix", 2.0),
    ("as_of_deep_vs_shallow", "2b. As-of matrix, long / short history", 1.3),
    ("save_versioned_vs_unversioned", "3. Follow-up save (POST), versioned / unversioned", 1.5),
    ("audit_deep_vs_first", "4. Audit log, deep page / page 1", 1.3),
)

CURVE = (
    ("version_rows", "version rows"),
    ("transactions", "transactions"),
    ("generation_s", "generation (s)"),
    ("matrix_queries", "matrix SQL queries"),
    ("as_of_queries", "as-of matrix SQL queries"),
    ("matrix_bytes", "matrix HTML (bytes)"),
    ("matrix_ms", "matrix (ms)"),
    ("matrix_render_floor_ms", "render floor (ms)"),
    ("as_of_ms", "as-of matrix (ms)"),
    ("as_of_middle_ms", "as-of 2019-06-30 (ms)"),
    ("save_versioned_ms", "save, versioned (ms)"),
    ("save_unversioned_ms", "save, unversioned (ms)"),
    ("service_save_versioned_ms", "save service call, versioned (ms)"),
    ("service_save_unversioned_ms", "save service call, unversioned (ms)"),
    ("audit_first_ms", "audit page 1 (ms)"),
    ("audit_deep_ms", "audit deep page (ms)"),
    ("verify_ms", "verify (ms)"),
    ("verify_select_ms", "plain SELECT of the same rows (ms)"),
    ("load.mixed.requests_per_s", "mixed load (req/s)"),
    ("load.mixed.p50_ms", "mixed load p50 (ms)"),
    ("load.mixed.p99_ms", "mixed load p99 (ms)"),
    ("load.matrix_only.requests_per_s", "matrix alone (req/s)"),
    ("load.static_only.requests_per_s", "same-size static file (req/s)"),
)


def _get(figures: dict, dotted: str):
    value = figures
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _fmt(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def render(results: dict) -> str:
    lines = []
    for database in results["databases"]:
        scales = list(database["scales"])
        top = database["scales"][scales[-1]]
        lines.append(
            f"### {database['database']} (scale {scales[-1]}: {top['sub_goals']} sub-goals, "
            f"{top['version_rows']} version rows, {top['transactions']} transactions)"
        )
        lines.append("")
        lines.append("| target | measured | target | result |")
        lines.append("| --- | --- | --- | --- |")
        for key, label, limit in TARGETS:
            value = top.get(key)
            if value is None:
                note = top.get("audit_skipped", "not measured") if key.startswith("audit") else ""
                lines.append(f"| {label} | skipped: {note or 'not measured'} | ≤ {limit} | – |")
                continue
            verdict = "PASS" if value <= limit else "MISS"
            lines.append(f"| {label} | {value} | ≤ {limit} | {verdict} |")
        counts = [
            (
                database["scales"][s].get("matrix_queries"),
                database["scales"][s].get("as_of_queries"),
            )
            for s in scales
        ]
        shown = " ; ".join(f"{current} / {past}" for current, past in counts)
        constant = "PASS" if len(set(counts)) == 1 else "MISS"
        lines.append(
            f"| 1. Matrix SQL queries (current / as-of), each scale | {shown} | constant | "
            f"{constant} |"
        )
        if top.get("verify_vs_select") is not None:
            lines.append(
                f"| 6. Verify (chain, {top['verify_version_rows']} version rows, current rows, "
                f"{top['verify_checkpoints']} checkpoints) / plain SELECT of the same rows | "
                f"{top['verify_vs_select']} ({top['verify_ms'] / 1000:.1f} s / "
                f"{top['verify_select_ms'] / 1000:.1f} s) | – | – |"
            )
        load = top.get("load")
        if load:
            mixed = load["mixed"]
            ok = mixed["errors"] == 0 and load["database_locked"] == 0
            ok = ok and load["matrix_only"]["errors"] == 0 and load["server_tracebacks"] == 0
            lines.append(
                f"| 5. Load, {load['clients']} clients, {load['workers']} gunicorn workers, "
                f'{load["duration_s"]:g} s mixed: errors / "database is locked" | '
                f"{mixed['errors']} / {load['database_locked']} | 0 / 0 | "
                f"{'PASS' if ok else 'MISS'} |"
            )
            lines.append(
                f"| 5. Mixed load: requests/s, p50, p99 | {mixed['requests_per_s']} req/s, "
                f"{mixed['p50_ms']} ms, {mixed['p99_ms']} ms | – | – |"
            )
            lines.append(
                f"| 5. Matrix throughput / same-size static file ({load['matrix_bytes']} bytes) | "
                f"{load['matrix_only']['requests_per_s']} / {load['static_only']['requests_per_s']}"
                f" req/s = {load['matrix_vs_static_throughput']} | – | – |"
            )
        lines.append("")
        if len(scales) > 1:
            lines.append(f"Cost curve ({database['database']}), scale {scales[0]} → {scales[-1]}:")
            lines.append("")
            lines.append(f"| figure | {scales[0]} | {scales[-1]} | growth |")
            lines.append("| --- | --- | --- | --- |")
            low, high = database["scales"][scales[0]], top
            for key, label in CURVE:
                a, b = _get(low, key), _get(high, key)
                if a is None and b is None:
                    continue
                growth = (
                    f"{b / a:.2f}×" if isinstance(a, int | float) and a and b is not None else "–"
                )
                lines.append(f"| {label} | {_fmt(a)} | {_fmt(b)} | {growth} |")
            lines.append("")
    return "\n".join(lines)
