
from setuptools import setup
from setuptools.command.install import install


class _Install(install):
    def run(self):
        install.run(self)
        from cli_aos.metricsink import telemetry

        telemetry.hello()


setup(cmdclass={"install": _Install})
