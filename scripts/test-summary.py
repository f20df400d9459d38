#!/usr/bin/env python3
"""Prints, after a failed test run, what CI's tail of the output must show: failed tests, crash messages and the
tests that started but never finished (the ones running when the test process died)."""
import re
import sys

started, finished, failures, crashes = {}, set(), [], []
name = re.compile(r'^[◇✔✘] (?:Test|Suite) ("(?:[^"\\]|\\.)*"|\S+)')
with open(sys.argv[1], encoding="utf-8", errors="replace") as log:
    for number, line in enumerate(log, 1):
        line = line.rstrip("\n")
        match = None if line[2:].startswith("Test case") else name.match(line)
        if match:
            key = match.group(1)
            if line.startswith("◇") and line.endswith("started."):
                started[key] = number
            elif line.startswith(("✔", "✘")) and (" passed" in line or " failed" in line or " skipped" in line):
                finished.add(key)
            if line.startswith("✘"):
                failures.append(line)
        if re.search(r"Fatal error|Program crashed|fatalError|SWIFT TASK CONTINUATION MISUSE|Simultaneous accesses|"
                     r"double free|corrupted|Assertion failed|precondition", line):
            crashes.append(line)

print("test summary: --------------------------------------------------------------")
for line in failures[:40]:
    print(line)
for line in crashes[:20]:
    print("crash:", line)
unfinished = sorted((n, key) for key, n in started.items() if key not in finished)
for _, key in unfinished[:40]:
    print("unfinished:", key)
print("test summary: %d failed, %d crash lines, %d unfinished" % (len(failures), len(crashes), len(unfinished)))
