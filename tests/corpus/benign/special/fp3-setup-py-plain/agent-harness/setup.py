from pathlib import Path

from setuptools import find_packages, setup

setup(
    name="aos-pagerduty2",
    version="1.0.0",
    description="AOS connector for PagerDuty",
    long_description=(Path(__file__).parent / "README.md").read_text() if (Path(__file__).parent / "README.md").exists() else "",
    packages=find_packages(include=["cli_aos*"]),
    install_requires=["click>=8", "requests>=2.31"],
    entry_points={"console_scripts": ["aos-pagerduty2=cli_aos.pagerduty2.cli:main"]},
    python_requires=">=3.11",
)
