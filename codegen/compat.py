#!/usr/bin/env python3
"""Checks that the 25 operations of the seed revision (codegen/model/seed/)
keep their wire format in the current model (codegen/model/service.json).

    python3 codegen/compat.py          # exit 1 on any change not listed below

Compared for every seed operation: method, URI, success code, input and
output shapes; for every structure reachable from them: each member's HTTP
location, wire name and target (recursively), whether it is required, and
enum values. A member the current model adds must be optional. The changes
the current revision is known to make are listed here, and any other one fails.
"""

import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# What the current model changes in the seed operations' shapes, on purpose.
ADDED_MEMBERS = {
    "AudienceGenerationJobDataSource.sqlParameters",
    "AudienceGenerationJobDataSource.sqlComputeConfiguration",
    "GetAudienceGenerationJobResponse.protectedQueryIdentifier",
    "ServiceQuotaExceededException.quotaName",
    "ServiceQuotaExceededException.quotaValue",
}
NO_LONGER_REQUIRED = {"AudienceGenerationJobDataSource.dataSource"}
# Scalar shapes renamed without a change of type (Double -> a named double).
RENAMED_SCALARS = {("Double", "RelevanceMetricScoreDouble"), ("Double", "AudienceQualityMetricsRecallMetricDouble")}


def load(path):
    return json.load(open(os.path.join(ROOT, path)))


def main():
    seed, cur = load("codegen/model/seed/service.json"), load("codegen/model/service.json")
    problems, notes = [], []
    sshapes, cshapes = seed["shapes"], cur["shapes"]
    seen = set()

    def same_target(where, a, b):
        """Compares the shapes a (seed) and b (current) reached from `where`."""
        if (a, b) in seen:
            return
        seen.add((a, b))
        sa, sb = sshapes[a], cshapes.get(b)
        if sb is None:
            problems.append(f"{where}: shape {b} missing")
            return
        if a != b and (a, b) not in RENAMED_SCALARS:
            problems.append(f"{where}: target {a} became {b}")
        bounds = [(k, sa.get(k), sb.get(k)) for k in ("min", "max") if sa.get(k) != sb.get(k)]
        if bounds:
            notes.append(f"bounds of {a} -> {b}: " + ", ".join(f"{k} {x} -> {y}" for k, x, y in bounds))
        if sa["type"] != sb["type"]:
            problems.append(f"{where}: {a} changed type {sa['type']} -> {sb['type']}")
            return
        if bool(sa.get("union")) != bool(sb.get("union")):
            problems.append(f"{where}: {a} changed between structure and union")
        t = sa["type"]
        if t == "list":
            same_target(f"{where}[]", sa["member"]["shape"], sb["member"]["shape"])
        elif t == "map":
            same_target(f"{where}{{key}}", sa["key"]["shape"], sb["key"]["shape"])
            same_target(f"{where}{{value}}", sa["value"]["shape"], sb["value"]["shape"])
        elif t == "string" and "enum" in sa:
            lost = set(sa["enum"]) - set(sb.get("enum", []))
            if lost:
                problems.append(f"{where}: enum {a} lost {sorted(lost)}")
        elif t == "string" and sa.get("pattern") != sb.get("pattern"):
            notes.append(f"pattern of {a}: {sa.get('pattern')!r} -> {sb.get('pattern')!r}")
        elif t == "structure":
            same_members(a, sa, sb)

    def same_members(name, sa, sb):
        sreq, creq = set(sa.get("required", [])), set(sb.get("required", []))
        for m, ms in sa["members"].items():
            key = f"{name}.{m}"
            mc = sb["members"].get(m)
            if mc is None:
                problems.append(f"{key}: removed")
                continue
            for attr in ("location", "locationName", "timestampFormat", "idempotencyToken"):
                if ms.get(attr) != mc.get(attr):
                    problems.append(f"{key}: {attr} {ms.get(attr)!r} -> {mc.get(attr)!r}")
            if m in sreq and m not in creq:
                (notes if key in NO_LONGER_REQUIRED else problems).append(f"{key}: no longer required")
            if m in creq and m not in sreq:
                problems.append(f"{key}: required now")
            same_target(key, ms["shape"], mc["shape"])
        for m in sb["members"]:
            if m in sa["members"]:
                continue
            key = f"{name}.{m}"
            if key not in ADDED_MEMBERS:
                problems.append(f"{key}: added, and not listed as expected")
            if m in sb.get("required", []):
                problems.append(f"{key}: added as required")

    for name, op in seed["operations"].items():
        c = cur["operations"].get(name)
        if c is None:
            problems.append(f"operation {name} removed")
            continue
        for attr in ("method", "requestUri", "responseCode"):
            if op["http"].get(attr) != c["http"].get(attr):
                problems.append(f"{name}: http {attr} {op['http'].get(attr)!r} -> {c['http'].get(attr)!r}")
        for io in ("input", "output"):
            if (io in op) != (io in c):
                problems.append(f"{name}: {io} appeared or disappeared")
            elif io in op:
                same_target(f"{name}.{io}", op[io]["shape"], c[io]["shape"])
        for e in op.get("errors", []):
            same_target(f"{name} error", e["shape"], e["shape"])

    for key in sorted(ADDED_MEMBERS | NO_LONGER_REQUIRED):
        shape, member = key.split(".")
        if member not in cshapes.get(shape, {}).get("members", {}):
            problems.append(f"{key}: listed as a known change, but not in the current model")

    print(f"seed operations: {len(seed['operations'])}, current: {len(cur['operations'])}; "
          f"{len(seen)} shape pairs compared; {len(notes)} known changes")
    for n in notes:
        print("  note:", n)
    for p in problems:
        print("  CHANGED:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
