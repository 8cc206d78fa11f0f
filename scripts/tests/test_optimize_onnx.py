"""Comparison and tolerance rules for the optimised variants."""

import numpy as np
import pytest

import optimize_onnx


def test_compare_reports_largest_difference_and_agreement():
    reference = np.array([[0.0, 1.0, 0.0], [2.0, 0.0, 0.0]], np.float32)
    actual = np.array([[0.0, 1.0, 0.5], [0.0, 0.0, 2.5]], np.float32)
    result = optimize_onnx.compare(reference, actual)
    assert result.max_abs_diff == pytest.approx(2.5)
    assert result.agreement == 0.5
    assert result.disagreeing == (1,)


def test_compare_refuses_other_shapes():
    with pytest.raises(optimize_onnx.CheckFailed, match="shape"):
        optimize_onnx.compare(np.zeros((2, 3)), np.zeros((3, 3)))


def test_padding_matches_the_service_batch_layout():
    batch = optimize_onnx.pad_batch(
        [
            {"input_ids": [2, 7, 3], "token_type_ids": [0, 0, 0]},
            {"input_ids": [2, 7, 3, 8, 3], "token_type_ids": [0, 0, 0, 1, 1]},
        ],
        pad_id=0,
    )
    assert batch["input_ids"].tolist() == [[2, 7, 3, 0, 0], [2, 7, 3, 8, 3]]
    assert batch["attention_mask"].tolist() == [[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]]
    assert batch["token_type_ids"].tolist() == [[0, 0, 0, 0, 0], [0, 0, 0, 1, 1]]
    assert batch["input_ids"].dtype == np.int64


def test_unknown_variant_is_refused():
    with pytest.raises(Exception, match="expected a comma-separated list"):
        optimize_onnx.parse_variants("fp16,bf16")


def test_optimize_command_rebuilds_variants_from_an_export(tiny_export, tmp_path):
    import shutil

    model_dir = tmp_path / "copy"
    shutil.copytree(tiny_export, model_dir)
    assert optimize_onnx.main(["--model-dir", str(model_dir), "--variants", "fused,int8"]) == 0
    assert (tmp_path / "copy-fused" / "model.onnx").is_file()
    assert (tmp_path / "copy-int8" / "model.onnx").is_file()


def test_a_variants_largest_difference_can_be_replaced():
    name, diff = optimize_onnx.parse_max_diff("int8=0.8")
    tolerances = optimize_onnx.tolerances_with([(name, diff)])
    assert tolerances["int8"] == optimize_onnx.Tolerance(max_abs_diff=0.8, min_agreement=0.9)
    assert tolerances["fp16"] == optimize_onnx.TOLERANCES["fp16"]
    for bad in ("int4=0.8", "int8=", "int8=-1", "int8"):
        with pytest.raises(Exception, match="VARIANT=DIFF"):
            optimize_onnx.parse_max_diff(bad)
