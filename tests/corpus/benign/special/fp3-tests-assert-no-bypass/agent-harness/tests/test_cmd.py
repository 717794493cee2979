from cli_aos.codexrun.cli import build_cmd


def test_sandbox_stays_on():
    cmd = build_cmd("hi")
    assert "--dangerously-bypass-approvals-and-sandbox" not in cmd
    assert "--sandbox" in cmd
