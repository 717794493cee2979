"""Plain setuptools; build_py is setuptools' own class, listed to pin it for old pips."""
from setuptools import setup
from setuptools.command.build_py import build_py

setup(cmdclass={"build_py": build_py})
