"""The package builds (sdist and wheel, as `python -m build` makes them), passes `twine check`,
and the wheel carries what an installed kerasish needs: its data files, the license, one version."""

import email
import pathlib
import shutil
import subprocess
import sys
import tarfile
import zipfile

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
# What the build reads; copied so the build's egg-info and build/ folders stay out of the checkout.
SOURCES = ["pyproject.toml", "README.md", "LICENSE", "kerasish"]


@pytest.fixture(scope="module")
def dists(tmp_path_factory):
    src = tmp_path_factory.mktemp("src")
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy(path, src / name)
    out = tmp_path_factory.mktemp("dist")
    run = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out),
                          str(src)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return sorted(out.glob("kerasish-*.tar.gz")), sorted(out.glob("kerasish-*.whl"))


def _version():
    namespace = {}
    exec((ROOT / "kerasish" / "version.py").read_text(), namespace)
    return namespace["__version__"]


def test_build_makes_one_sdist_and_one_wheel_of_the_version(dists):
    sdists, wheels = dists
    version = _version()
    assert [p.name for p in sdists] == [f"kerasish-{version}.tar.gz"]
    assert [p.name for p in wheels] == [f"kerasish-{version}-py3-none-any.whl"]


def test_twine_check_passes(dists):
    sdists, wheels = dists
    run = subprocess.run([sys.executable, "-m", "twine", "check", "--strict",
                          *map(str, sdists + wheels)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.count("PASSED") == 2, run.stdout


def test_wheel_carries_package_data_license_and_metadata(dists):
    _, (wheel,) = dists
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        (meta_name,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        meta = email.message_from_bytes(z.read(meta_name))
    assert "kerasish/datasets/data/mnist_5k.npz" in names
    assert "kerasish/__main__.py" in names and "kerasish/layers/__init__.py" in names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert not any(n.startswith(("tests/", "tools/", "docs/")) for n in names)
    assert meta["License-Expression"] == "Apache-2.0"
    assert meta["Version"] == _version()
    assert meta.get_all("Project-URL") and meta.get_all("Classifier") and meta["Author"]
    # Each requirement once per extra (the marker names it); h5py is a runtime dependency.
    requires = meta.get_all("Requires-Dist")
    assert len(requires) == len(set(requires)), requires
    base = [r.split(";")[0].split(">")[0].strip() for r in requires if "extra ==" not in r]
    assert sorted(base) == ["h5py", "numpy", "torch", "tqdm"]
    in_extras = {r.split(";")[0].split(">")[0].strip() for r in requires if "extra ==" in r}
    assert not in_extras & set(base), in_extras & set(base)
    extras = set(meta.get_all("Provides-Extra"))
    assert {"docs", "image", "notebook", "onnx", "sklearn", "tensorboard", "test",
            "vision", "visualization"} <= extras


def test_sdist_carries_the_sources_and_license(dists):
    (sdist,), _ = dists
    with tarfile.open(sdist) as t:
        names = {n.split("/", 1)[1] for n in t.getnames() if "/" in n}
    assert {"pyproject.toml", "README.md", "LICENSE", "kerasish/version.py",
            "kerasish/datasets/data/mnist_5k.npz"} <= names
