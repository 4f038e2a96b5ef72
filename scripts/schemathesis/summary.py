"""Summarises Schemathesis NDJSON reports (one directory per run, given as arguments).

Prints, per run and in total: operations selected / exercised, test cases sent, responses by
status class, failures by check, and how many operations with path parameters got at least
one answer other than 404 (i.e. reached an object). Failures the baseline file
(`--baseline PATH`, Schemathesis's own format) lists are counted apart as accepted. Exits 1
when a failure is not in the baseline.
"""

import collections
import glob
import json
import os
import sys


def load_baseline(path):
    if not path or not os.path.exists(path):
        return set()
    entries = json.load(open(path)).get("entries", [])
    return {(e["operation"], e["check"], e["failure"], e["signature"]) for e in entries}


def accepted(baseline, label, check, failure, status):
    kind = failure.get("type", "")
    if (label, check, kind, str(status)) in baseline:
        return True
    # Other failure kinds sign with more than the status: match them by operation and kind.
    return kind != "RejectedPositiveData" and any(
        b[:3] == (label, check, kind) for b in baseline
    )


def load(run_dir, baseline):
    runs = sorted(glob.glob(os.path.join(run_dir, "*.ndjson")))
    if not runs:
        return None
    stats = {
        "selected": 0,
        "operations": set(),
        "cases": 0,
        "statuses": collections.Counter(),
        "failures": collections.Counter(),
        "failing_ops": collections.defaultdict(set),
        "with_path_params": set(),
        "past_404": set(),
        "accepted": collections.Counter(),
    }
    for line in open(runs[-1]):
        event = json.loads(line)
        if "LoadingFinished" in event:
            stats["selected"] = event["LoadingFinished"]["statistic"]["operations"]["selected"]
        finished = event.get("ScenarioFinished")
        if not finished or not finished.get("recorder"):
            continue
        rec = finished["recorder"]
        label = rec["label"]
        interactions = rec.get("interactions") or {}
        if interactions:
            stats["operations"].add(label)
        if "{" in label:
            stats["with_path_params"].add(label)
        for interaction in interactions.values():
            stats["cases"] += 1
            response = interaction.get("response")
            if response is None:
                stats["statuses"]["no response"] += 1
                continue
            status = response["status_code"]
            stats["statuses"][f"{status // 100}xx"] += 1
            if "{" in label and status != 404:
                stats["past_404"].add(label)
        for case_id, checks in (rec.get("checks") or {}).items():
            response = (interactions.get(case_id) or {}).get("response") or {}
            for check in checks:
                if check["status"] != "failure":
                    continue
                failure = (check.get("failure_info") or {}).get("failure") or {}
                if accepted(baseline, label, check["name"], failure, response.get("status_code")):
                    stats["accepted"][check["name"]] += 1
                    continue
                stats["failures"][check["name"]] += 1
                stats["failing_ops"][check["name"]].add(label)
    return stats


def show(name, s):
    print(f"[{name}]")
    print(f"  operations: {s['selected']} selected, {len(s['operations'])} exercised")
    print(f"  test cases: {s['cases']} ({', '.join(f'{k}: {v}' for k, v in sorted(s['statuses'].items()))})")
    print(
        f"  operations with path parameters past 404: {len(s['past_404'])}/{len(s['with_path_params'] & s['operations'])}"
    )
    if s["failures"]:
        print(f"  failures: {sum(s['failures'].values())}")
        for check, count in s["failures"].most_common():
            ops = sorted(s["failing_ops"][check])
            print(f"    {check}: {count} in {len(ops)} operations")
            for op in ops:
                print(f"      - {op}")
    else:
        print("  failures: 0")
    if s["accepted"]:
        print(
            f"  accepted by the baseline: {sum(s['accepted'].values())} ("
            + ", ".join(f"{k}: {v}" for k, v in s["accepted"].most_common())
            + ")"
        )


def main():
    args = sys.argv[1:]
    baseline_path = None
    if args[:1] == ["--baseline"]:
        baseline_path, args = args[1], args[2:]
    baseline = load_baseline(baseline_path)
    failed = False
    total_accepted = collections.Counter()
    total_cases = 0
    total_failures = collections.Counter()
    ops = set()
    for run_dir in args:
        s = load(run_dir, baseline)
        name = os.path.basename(os.path.normpath(run_dir)).removeprefix("report-")
        if s is None:
            print(f"[{name}] no report (the run did not start)")
            failed = True
            continue
        show(name, s)
        total_cases += s["cases"]
        total_failures.update(s["failures"])
        total_accepted.update(s["accepted"])
        ops |= s["operations"]
        failed |= bool(s["failures"])
    print(
        f"TOTAL: {len(ops)} operations exercised, {total_cases} test cases, "
        f"{sum(total_failures.values())} failures"
        + (" (" + ", ".join(f"{k}: {v}" for k, v in total_failures.most_common()) + ")" if total_failures else "")
        + f"; {sum(total_accepted.values())} known failures accepted by the baseline"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
