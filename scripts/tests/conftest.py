"""Shared fixtures: the scripts directory on the import path, one tiny export per run."""

import sys
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[1]
REPOSITORY = SCRIPTS.parent
sys.path.insert(0, str(SCRIPTS))


@pytest.fixture(scope="session")
def tiny_export(tmp_path_factory) -> Path:
    """The tiny model exported with its fp16 and int8 variants, as the fixtures are made."""
    import export_mgeo_onnx

    out = tmp_path_factory.mktemp("export") / "tiny-mgeo"
    assert export_mgeo_onnx.main(["--tiny", "--out", str(out)]) == 0
    return out


@pytest.fixture()
def committed_fixture() -> Path:
    return REPOSITORY / "src" / "test" / "resources" / "models" / "tiny-mgeo"
