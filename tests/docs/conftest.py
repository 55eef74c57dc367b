"""The documentation site, built once per test run for the tests of this folder.

The build is the one `bash scripts/docs.sh` runs (`mkdocs build --strict`, with mkdocs.yml and
its hooks in tools/docs_site.py), in a child process, into a temporary folder instead of site/.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class SiteBuild:
    site: Path  # the built site
    returncode: int
    log: str  # what mkdocs printed (stdout and stderr together)
    seconds: float


def build_site(site: Path, config: Path = ROOT / "mkdocs.yml") -> SiteBuild:
    """Run `mkdocs build --strict` on `config` into `site`."""
    pytest.importorskip("mkdocs", reason="mkdocs comes with the docs extra (and the dev extra)")
    # Material prints a notice about its future on every build; it is not about this site.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config),
         "--site-dir", str(site)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)  # fmt: skip
    return SiteBuild(site, run.returncode, run.stdout + run.stderr, time.perf_counter() - start)


@pytest.fixture(scope="session")
def site_build(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    pytest.importorskip("mkdocs", reason="mkdocs comes with the docs extra (and the dev extra)")
    from tools import docs_site

    fetched = all((p.folder / ".complete").is_file() for p in docs_site.VENDORED)
    if not fetched and shutil.which("npm") is None:
        why = ("the site's math renderer is fetched with npm, which is not installed "
               "(bash scripts/docs.sh installs it where it can)")
        if os.environ.get("CI"):  # CI must build the site: there this is a failure
            pytest.fail(why, pytrace=False)
        pytest.skip(why)
    return build_site(tmp_path_factory.mktemp("docs-site") / "site")


@pytest.fixture(scope="session")
def built_site(site_build: SiteBuild) -> Path:
    """The built site's folder; a test that needs it fails when the build did."""
    if site_build.returncode != 0:
        pytest.fail(f"the site did not build (exit code {site_build.returncode}):\n"
                    f"{site_build.log}", pytrace=False)
    return site_build.site
