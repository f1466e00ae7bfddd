"""Fail the CI run when a JUnit report shows no tests, a skipped test or a failure."""
import sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
tests = sum(int(s.get("tests", 0)) for s in suites)
skipped = sum(int(s.get("skipped", 0)) for s in suites)
failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
names = [
    f"{case.get('classname')}::{case.get('name')}"
    for case in root.iter("testcase")
    if case.find("skipped") is not None
]
print(f"{sys.argv[1]}: {tests} tests, {failed} failed, {skipped} skipped")
if tests == 0:
    sys.exit("no test ran")
if skipped:
    sys.exit("skipped tests are failures in CI:\n  " + "\n  ".join(names))
if failed:
    sys.exit("failures")
