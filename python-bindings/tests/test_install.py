"""Packaging: `pip install ./python-bindings` into a fresh venv builds (scikit-build-core + CMake),
installs and imports the package, with its stub and py.typed. Needs PyPI for the build
requirements. Takes a minute or two: it compiles the library once more."""

import os
import pathlib
import subprocess
import textwrap

from conftest import ROOT

PYTHON = os.environ.get("SMTPSPEC_PYTHON", "/usr/bin/python3")

CHECK = textwrap.dedent("""
    import pathlib, smtpspec
    r = smtpspec.parse_command(b"MAIL FROM:<a@example.com> SIZE=10\\r\\n")
    assert r.ok and r.value.path.mailbox.domain.text == "example.com", r.to_json()
    assert r.to_dict()["verb"] == "MAIL"
    (reply,) = smtpspec.parse_replies(smtpspec.format_reply(550, "5.1.1", ["x"]).value.data)
    assert reply.enhanced == "5.1.1", reply.to_json()
    from smtpspec import dsn
    assert str(dsn.addr_mbox_mobed()).startswith("5.1.6 ")
    pkg = pathlib.Path(smtpspec.__file__).parent
    assert (pkg / "py.typed").exists() and (pkg / "__init__.pyi").exists() and (pkg / "dsn.pyi").exists()
    assert "def no_such_user(" in (pkg / "dsn.pyi").read_text()
    assert list(pkg.glob("_smtpspec*.so")), list(pkg.iterdir())
    print(smtpspec.__version__, pkg)
""")


def test_pip_install_into_fresh_venv(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([PYTHON, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    env = dict(os.environ, CMAKE_GENERATOR="Ninja", CMAKE_BUILD_PARALLEL_LEVEL="2",
               PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1")
    env.pop("PYTHONPATH", None)  # only the installed copy may be imported
    # --no-cache-dir: build from the sources every time, never reuse a wheel from an earlier run.
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--no-cache-dir",
                    str(ROOT / "python-bindings")],
                   check=True, env=env, cwd=tmp_path)
    out = subprocess.run([str(py), "-c", CHECK], check=True, env=env, cwd=tmp_path,
                         capture_output=True, text=True).stdout
    version, location = out.split()
    assert version == _version_of_this_build()
    assert pathlib.Path(location).is_relative_to(venv)


def _version_of_this_build():
    import smtpspec
    return smtpspec.__version__
