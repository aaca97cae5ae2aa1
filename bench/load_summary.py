#!/usr/bin/env python3
"""Median tables of bench/load-matrix.sh results: one line per run, `cfg=... rep=... load1=... [tool=...] {json}`."""
import json
import statistics
import sys

# (column title, JSON key, digits) for each mode.
COLUMNS = {
    "idle": [("alive", "alive_end", 0), ("pinged", "alive_pinged", 0), ("bytes/conn", "bytes_per_conn_end", 0),
             ("srv CPU %", "srv_cpu_pct", 1), ("connect s", "connect_s", 2)],
    "relay": [("msg/s", "msgs_per_s", 0), ("p50 µs", "p50_us", 0), ("p99 µs", "p99_us", 0),
              ("p99.9 µs", "p999_us", 0), ("srv µs/msg", "srv_cpu_us_per_msg", 1), ("srv CPU %", "srv_cpu_pct", 1),
              ("gen CPU %", "gen_cpu_pct", 1)],
    "calls": [("calls/s", "calls_per_s", 1), ("p50 µs", "p50_us", 0), ("p99 µs", "p99_us", 0),
              ("srv µs/call", "srv_cpu_us_per_call", 1), ("srv CPU %", "srv_cpu_pct", 1),
              ("gen CPU %", "gen_cpu_pct", 1)],
}
PROBLEMS = ["failed", "failed_conns", "dropped", "unfinished", "acks_bad", "errors"]


def read(path):
    runs = {}
    with open(path) as results:
        for line in results:
            if not line.startswith("cfg="):
                continue
            head, _, body = line.partition(" {")
            fields = dict(item.split("=", 1) for item in head.split())
            report = json.loads("{" + body)
            report["load1"] = float(fields["load1"])
            # sioload reports CPU % and the rate; derive the CPU per unit as dialtone-load does.
            for unit, rate in (("msg", "msgs_per_s"), ("call", "calls_per_s")):
                cpu = report.get("srv_cpu_pct")
                if f"srv_cpu_us_per_{unit}" not in report and report.get(rate) and cpu is not None and cpu >= 0:
                    report[f"srv_cpu_us_per_{unit}"] = cpu / 100 * 1e6 / report[rate]
            runs.setdefault((fields["cfg"], fields.get("tool", "dialtone-load")), []).append(report)
    return runs


def median(values, digits):
    values = [v for v in values if isinstance(v, (int, float))]
    if not values:
        return "n/a"
    value = statistics.median(values)
    low, high = min(values), max(values)
    text = lambda v: f"{v:,.{digits}f}"
    return text(value) if len(values) == 1 or low == high else f"{text(value)} ({text(low)}–{text(high)})"


def main(path):
    runs = read(path)
    for mode, columns in COLUMNS.items():
        configs = [key for key in runs if key[0].startswith(mode + ":")]
        if not configs:
            continue
        titles = ["config", "tool", "runs", "load1"] + [title for title, _, _ in columns] + ["problems"]
        rows = []
        for cfg in configs:
            reports = runs[cfg]
            problems = sum(r.get(key) or 0 for r in reports for key in PROBLEMS if isinstance(r.get(key), (int, float, bool)))
            rows.append([cfg[0], cfg[1], str(len(reports)), median([r["load1"] for r in reports], 1)]
                        + [median([r.get(key) for r in reports], digits) for _, key, digits in columns]
                        + [str(problems)])
        widths = [max(len(row[i]) for row in rows + [titles]) for i in range(len(titles))]
        print(f"\n{mode} (median of runs, min–max in brackets)")
        for row in [titles] + rows:
            print("  ".join(cell.rjust(width) if i else cell.ljust(width) for i, (cell, width) in enumerate(zip(row, widths))))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "results.txt")
