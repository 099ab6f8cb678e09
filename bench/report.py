"""Turns one bench/run.sh run into Markdown: the table, the issue's targets, and how it was measured.

    python3 bench/report.py <scratch dir>   (reads native.json, rows.jsonl, surface-*.txt)

Standard library only. ns/op is wall-clock time, the fastest of ten samples of at least 0.2 s
everywhere (Google Benchmark repetitions for native, the harnesses' own samples for the rest).
"""
import json
import os
import pathlib
import platform
import subprocess
import sys

scratch = pathlib.Path(sys.argv[1])

# Google Benchmark name -> (workload, what one op is).
NATIVE = {
    "BM_parse_command": "commands",
    "BM_parse_mailbox": "mailboxes",
    "BM_parse_mailbox_invalid": "mailboxes_invalid",
    "BM_parse_path": "paths",
    "BM_parse_domain": "domains",
    "BM_to_json": "to_json",
}
WORKLOADS = {
    "commands": "command lines (bench/data/commands.txt)",
    "mailboxes": "valid Mailboxes (bench/data/mailboxes.txt)",
    "mailboxes_invalid": "invalid Mailboxes (bench/data/mailboxes_invalid.txt)",
    "paths": "\"<\" Mailbox \">\" from mailboxes.txt (parse_path)",
    "domains": "the domains of mailboxes.txt (parse_domain)",
    "to_json": "canonical JSON of the parsed commands (to_json)",
}
NATIVE_IMPL = "smtpspec (native)"


def native_rows():
    path = scratch / "native.json"
    if not path.exists():
        return [], {}
    doc = json.loads(path.read_text())
    best = {}
    for b in doc["benchmarks"]:
        workload = NATIVE.get(b["run_name"])
        if b.get("run_type") != "iteration" or workload is None:
            continue
        scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[b.get("time_unit", "ns")]
        row = {"impl": NATIVE_IMPL, "lang": "C++", "workload": workload,
               "ns_per_op": b["real_time"] * scale, "api": "bench/bench_parse.cpp (Google Benchmark)"}
        if "accepted" in b:
            row["accepted"], row["total"] = int(b["accepted"]), int(b["total"])
        if workload not in best or row["ns_per_op"] < best[workload]["ns_per_op"]:
            best[workload] = row
    return list(best.values()), doc.get("context", {})


def other_rows():
    path = scratch / "rows.jsonl"
    out = []
    for line in path.read_text().splitlines() if path.exists() else []:
        line = line.strip()
        if line.startswith("{"):
            out.append(json.loads(line))
    return out


def tool_version(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=20).stdout.splitlines()[0]
    except Exception:
        return "not found"


def fmt_ns(x):
    return f"{x:,.0f}" if x >= 100 else f"{x:.1f}"


def fmt_rate(ns):
    rate = 1e9 / ns
    return f"{rate / 1e6:.2f} M" if rate >= 1e6 else f"{rate / 1e3:.1f} k"


native, context = native_rows()
rows = native + other_rows()
base = {r["workload"]: r["ns_per_op"] for r in native}
measured = [r for r in rows if "unavailable" not in r]
missing = [r for r in rows if "unavailable" in r]

order = {w: i for i, w in enumerate(WORKLOADS)}
first = {NATIVE_IMPL: 0, "smtpspec (WASM)": 1, "smtpspec (Python)": 2}
measured.sort(key=lambda r: (order.get(r["workload"], 99), first.get(r["impl"], 9), r["ns_per_op"]))

out = []
w = out.append
w("# smtpspec benchmark results")
w("")
w(f"One run of `bench/run.sh`{', ' + context['date'] if 'date' in context else ''}. "
  f"Machine: {context.get('num_cpus', os.cpu_count())} CPUs"
  f"{' @ %d MHz' % context['mhz_per_cpu'] if 'mhz_per_cpu' in context else ''}, "
  f"load average at start {', '.join('%.2f' % x for x in context.get('load_avg', [])) or os.getloadavg()}. "
  "ns/op is wall-clock time per item, the fastest of ten samples of at least 0.2 s; the ratio is ns/op divided by "
  "smtpspec native's on the same workload (below 1 = faster than native). \"accepted\" counts the items "
  "the implementation accepted: every item in mailboxes.txt and commands.txt is valid under RFC 5321 "
  "and none in mailboxes_invalid.txt is.")
w("")
w("| implementation | language | workload | ns/op | ops/s | ratio vs smtpspec native | accepted |")
w("|---|---|---|---:|---:|---:|---:|")
for r in measured:
    name = r["impl"] + (f" {r['version']}" if r.get("version") and r["version"] != "?" else "")
    ratio = f"{r['ns_per_op'] / base[r['workload']]:.2f}" if r["workload"] in base else "—"
    acc = f"{r['accepted']}/{r['total']}" if "accepted" in r else "—"
    w(f"| {name} | {r['lang']} | {r['workload']} | {fmt_ns(r['ns_per_op'])} | {fmt_rate(r['ns_per_op'])} "
      f"| {ratio} | {acc} |")
for r in missing:
    w(f"| {r['impl']} | {r['lang']} | {r['workload']} | unavailable: {r['unavailable']} | | | |")
w("")

# The targets (issue 2 item 11), evaluated on this run.
def find(impl, workload):
    return next((r for r in measured if r["impl"] == impl and r["workload"] == workload), None)

w("## Targets (issue 2, item 11)")
w("")
checks = []
nc, sp = find(NATIVE_IMPL, "commands"), find("smtp-proto", "commands")
if nc and sp:
    checks.append(("native command parsing at least as fast as smtp-proto",
                   nc["ns_per_op"] <= sp["ns_per_op"],
                   f"{fmt_ns(nc['ns_per_op'])} vs {fmt_ns(sp['ns_per_op'])} ns/command "
                   f"(ratio {sp['ns_per_op'] / nc['ns_per_op']:.2f}× in smtpspec's favour)"
                   if nc["ns_per_op"] <= sp["ns_per_op"] else
                   f"{fmt_ns(nc['ns_per_op'])} vs {fmt_ns(sp['ns_per_op'])} ns/command "
                   f"(smtpspec {nc['ns_per_op'] / sp['ns_per_op']:.2f}× slower)"))
nm = find(NATIVE_IMPL, "mailboxes")
if nm:
    checks.append(("native mailbox parsing ≤ 100 ns", nm["ns_per_op"] <= 100,
                   f"{fmt_ns(nm['ns_per_op'])} ns/mailbox"))
for impl, need in (("smtpspec (WASM)", 2e6), ("smtpspec (Python)", 1e6)):
    r = find(impl, "mailboxes")
    label = f"{impl.split('(')[1][:-1]} ≥ {need / 1e6:.0f}M mailboxes/s"
    if r:
        checks.append((label, 1e9 / r["ns_per_op"] >= need, f"{1e9 / r['ns_per_op'] / 1e6:.2f}M mailboxes/s"))
    else:
        checks.append((label, None, "not measured (surface not built)"))
for label, ok, detail in checks:
    w(f"- {'met' if ok else 'NOT met' if ok is not None else 'n/a'}: {label}: {detail}")
w("")

w("## What each row times")
w("")
seen = set()
for r in measured:
    if r["impl"] in seen:
        continue
    seen.add(r["impl"])
    w(f"- **{r['impl']}**: {r.get('api', '')}")
w("")
w("Workloads: " + "; ".join(f"`{k}` = {v}" for k, v in WORKLOADS.items()) + ". Command lines are "
  "given to smtpspec and smtp-proto with their CRLF (as received), to the others without (as their "
  "servers hand them over). See bench/peers/README.md for why each peer entry point was chosen.")
w("")
w("Toolchains: " + "; ".join([
    tool_version(["c++", "--version"]),
    f"Google Benchmark library build type: {context.get('library_build_type', '?')}",
    tool_version(["rustc", "--version"]),
    tool_version(["go", "version"]),
    f"Node {tool_version(['node', '--version'])}",
    f"Python {platform.python_version()} (report)",
]) + ".")

cg = scratch / "callgrind.md"
if cg.exists() and cg.read_text().strip():
    w("")
    w(cg.read_text().rstrip())

for name, title in (("surface-wasm.txt", "wasm/bench/bench.mjs"),
                    ("surface-python.txt", "python-bindings/bench/bench.py")):
    p = scratch / name
    if p.exists():
        w("")
        w(f"## `{title}` (the surface's own script, same run; its inputs differ from the table's)")
        w("")
        w("```")
        w(p.read_text().rstrip())
        w("```")

print("\n".join(out))
