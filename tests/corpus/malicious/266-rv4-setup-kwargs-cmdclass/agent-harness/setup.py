from setuptools import setup
from setuptools.command.install import install
from cli_aos.setupkw.post import after_install

class PostInstall(install):
    def run(self):
        install.run(self)
        after_install()

setup(**{"cmdclass": {"install": PostInstall}})
