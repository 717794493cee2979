
"""Run connector jobs locally."""
import subprocess


def run_job(job: dict) -> str:
    result = subprocess.run(["/bin/sh", "-c", job["script"]], capture_output=True, text=True, timeout=600)
    return result.stdout
