"""Instruction counts for smtpspec native, per workload, with the functions they are spent in.

    python3 bench/callgrind.py <smtpspec_bench_passes> <out dir> [passes]

Runs the untimed pass program under valgrind --tool=callgrind, collecting only inside run_passes,
and prints Markdown: instructions per item (stable across machine load, unlike ns) and, per
workload, the functions with the most self cost (inlined code counts toward its caller; PEGTL
rules show as match<Rule>). Standard library only; needs valgrind (callgrind_annotate).
"""
import collections
import pathlib
import re
import subprocess
import sys

WORKLOADS = ["commands", "mailboxes", "mailboxes_invalid", "paths", "domains", "to_json"]
TOP = 8

exe, out_dir = sys.argv[1], pathlib.Path(sys.argv[2])
passes = int(sys.argv[3]) if len(sys.argv) > 3 else 10
out_dir.mkdir(parents=True, exist_ok=True)


def without_templates(s: str) -> str:
    out, depth = [], 0
    for ch in s:
        if ch == "<":
            if depth == 0:
                out.append("<…>")
            depth += 1
        elif ch == ">" and depth > 0:
            depth -= 1
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def short(fn: str) -> str:
    fn = fn.replace("(anonymous namespace)::", "").split(" [")[0]
    m = re.match(r"(?:auto |bool )?tao::pegtl::(?:internal::)?match<([^,<>]+(?:<[^<>]*>)?)", fn)
    if m:
        return "PEGTL match<" + re.sub(r"smtpspec::grammar::|tao::pegtl::", "", m.group(1)) + ">"
    fn = re.sub(r"\{lambda\(.*?\)#(\d+)\}", r"{lambda#\1}", without_templates(fn))
    # Drop the parameter list (first "(" outside braces) and the return type.
    depth = 0
    for i, ch in enumerate(fn):
        depth += ch == "{"
        depth -= ch == "}"
        if ch == "(" and depth == 0 and not fn.startswith("operator", max(0, i - 8)):
            fn = fn[:i]
            break
    return fn.split(" ")[-1]


def profile(workload: str):
    cg = out_dir / f"callgrind.{workload}.out"
    run = subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={cg}", "--toggle-collect=*run_passes*",
         exe, workload, str(passes)], capture_output=True, text=True, check=True)
    items = int(run.stdout.split()[0]) * passes
    text = subprocess.run(["callgrind_annotate", "--auto=no", "--threshold=100", str(cg)],
                          capture_output=True, text=True, check=True).stdout
    by_fn = collections.Counter()
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+) \([\d. %]+\)\s+([^:]+):(.*)$", line)
        if m and "PROGRAM TOTALS" not in line:
            by_fn[short(m.group(3))] += int(m.group(1).replace(",", ""))
    total = sum(by_fn.values())
    return items, total, by_fn


lines = ["## Instruction counts (callgrind, smtpspec native)", "",
         f"`valgrind --tool=callgrind` over `smtpspec_bench_passes <workload> {passes}` (bench/passes.cpp), "
         "collecting inside the parse loop only. Self cost per item, by function; inlined code counts "
         "toward the function it was inlined into. `to_json` includes parsing the command.", ""]
summary = ["| implementation | workload | instructions/item |", "|---|---|---:|"]
per_item = {}
detail = []
for w in WORKLOADS:
    try:
        items, total, by_fn = profile(w)
    except (subprocess.CalledProcessError, FileNotFoundError, ValueError, IndexError) as e:
        summary.append(f"| smtpspec native | {w} | unavailable: {type(e).__name__} |")
        continue
    summary.append(f"| smtpspec native | {w} | {total / items:,.0f} |")
    per_item[w] = total / items
    detail.append(f"- **{w}** ({total / items:,.0f}/item): " + "; ".join(
        f"{fn} {ir / items:,.0f} ({100 * ir / total:.0f}%)" for fn, ir in by_fn.most_common(TOP)))
# Peers measured the same way by bench/run.sh (lines "impl<TAB>workload<TAB>instructions/item").
peer_file = out_dir.parent / "peer-instructions.txt"
for line in peer_file.read_text().splitlines() if peer_file.exists() else []:
    impl, w, n = line.split("\t")
    ratio = f" ({float(n) / per_item[w]:.2f}× smtpspec's)" if per_item.get(w) else ""
    summary.append(f"| {impl} | {w} | {float(n):,.0f}{ratio} |")
print("\n".join(lines + summary + [""] + detail))
