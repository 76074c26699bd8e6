"""Build hook only; the project is configured in pyproject.toml.

Copies examples/sample-corpus into the built package as ``trucewatch/data/sample-corpus``
so that ``trucewatch demo`` finds the sample corpus after a normal wheel install. In a
checkout (``pip install -e .``) the demo reads examples/sample-corpus directly, so the
corpus exists in one place only. The sdist carries examples/ (MANIFEST.in).
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SAMPLE_CORPUS = Path(__file__).resolve().parent / "examples" / "sample-corpus"


class BuildPyWithSampleCorpus(build_py):
    """build_py that also ships the sample corpus as package data."""

    def run(self):
        super().run()
        if SAMPLE_CORPUS.is_dir() and not getattr(self, "editable_mode", False):
            dest = Path(self.build_lib) / "trucewatch" / "data" / "sample-corpus"
            if dest.exists():
                shutil.rmtree(dest)
            shutil.copytree(SAMPLE_CORPUS, dest)


if __name__ == "__main__":  # setuptools' build backend runs this file as __main__; tests import the class
    setup(cmdclass={"build_py": BuildPyWithSampleCorpus})
