from setuptools import setup

# cmdclass used to hold a custom "test" command; pytest replaced it.
setup(cmdclass={})
