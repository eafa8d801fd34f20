#!/usr/bin/python3
"""Every test of the suite has exactly one of the labels fast and slow.

    check_test_labels.py CTEST BUILD_DIR

Asks ctest for the tests of BUILD_DIR (ctest -N --show-only=json-v1) and names every test that
has neither label, or both.  A new test gets one in its tests/<area>.cmake: fast when it
belongs in the edit-build-test loop (a unit test, a few seconds at most), slow otherwise.
"""
import json
import subprocess
import sys


def main(argv):
    ctest, build = argv[1], argv[2]
    p = subprocess.run([ctest, "--test-dir", build, "-N", "--show-only=json-v1"],
                       capture_output=True, text=True)
    if p.returncode != 0:
        print("FAIL: ctest -N:", p.stderr[-500:])
        return 1
    tests = json.loads(p.stdout)["tests"]
    bad = []
    counts = {"fast": 0, "slow": 0}
    for t in tests:
        labels = set()
        for prop in t.get("properties", []):
            if prop["name"] == "LABELS":
                labels.update(prop["value"])
        mine = labels & {"fast", "slow"}
        if len(mine) != 1:
            bad.append(f"{t['name']}: labels {sorted(labels) or 'none'}; give it fast or slow")
        else:
            counts[mine.pop()] += 1
    for line in bad:
        print("FAIL:", line)
    print(f"{len(tests)} tests: {counts['fast']} fast, {counts['slow']} slow, {len(bad)} without "
          "one label")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
