"""The export script end to end on the tiny model, and the checks that guard it."""

import json
import shutil
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import numpy_helper

import export_mgeo_onnx as ex
import mgeo_pairs
import optimize_onnx


def copy_model(src: Path, dst: Path) -> Path:
    """Copies a model directory and its variant siblings under dst."""
    for variant in ("", "-fp16", "-int8"):
        source = src.parent / (src.name + variant)
        if source.is_dir():
            shutil.copytree(source, dst / (src.name + variant))
    return dst / src.name


def test_tiny_export_writes_every_file(tiny_export):
    for name in ("model.onnx", "vocab.txt", "tokenizer_config.json", "manifest.json"):
        assert (tiny_export / name).is_file(), name
    for variant in ("fp16", "int8"):
        assert (optimize_onnx.variant_dir(tiny_export, variant) / "model.onnx").is_file()
    assert (tiny_export / "model.onnx").stat().st_size < 400_000


def test_manifest_holds_the_service_contract(tiny_export):
    manifest = json.loads((tiny_export / "manifest.json").read_text(encoding="utf-8"))
    assert manifest == {
        "name": "tiny-mgeo",
        "version": f"seed-{ex.DEFAULT_SEED}",
        "kind": "pair-classifier",
        "max_sequence_length": 128,
        "inputs": {
            "input_ids": "input_ids",
            "attention_mask": "attention_mask",
            "token_type_ids": "token_type_ids",
        },
        "output": "logits",
        "labels": ["not_match", "partial_match", "exact_match"],
    }
    int8 = json.loads((tiny_export.parent / "tiny-mgeo-int8" / "manifest.json").read_text("utf-8"))
    assert int8["version"] == f"seed-{ex.DEFAULT_SEED}-int8"
    assert {k: v for k, v in int8.items() if k != "version"} == {
        k: v for k, v in manifest.items() if k != "version"
    }


@pytest.mark.parametrize("variant", ["", "-fp16", "-int8"])
def test_graph_signature_is_int64_in_float32_out_with_dynamic_axes(tiny_export, variant):
    graph = onnx.load(str(tiny_export.parent / f"tiny-mgeo{variant}" / "model.onnx")).graph
    inputs = {i.name: i.type.tensor_type for i in graph.input}
    assert sorted(inputs) == ["attention_mask", "input_ids", "token_type_ids"]
    for tensor in inputs.values():
        assert tensor.elem_type == onnx.TensorProto.INT64
        assert [d.dim_param for d in tensor.shape.dim] == ["batch", "sequence"]
    (output,) = graph.output
    assert output.name == "logits"
    assert output.type.tensor_type.elem_type == onnx.TensorProto.FLOAT
    dims = output.type.tensor_type.shape.dim
    assert dims[0].dim_param == "batch" and dims[1].dim_value == 3


def test_tokenizer_files_match_the_source_tokenizer(tiny_export):
    settings = json.loads((tiny_export / "tokenizer_config.json").read_text(encoding="utf-8"))
    assert settings == {"do_lower_case": True, "tokenize_chinese_chars": True}
    vocab = (tiny_export / "vocab.txt").read_text(encoding="utf-8").splitlines()
    assert vocab[:5] == list(ex.SPECIAL_TOKENS)
    assert vocab == ex.tiny_vocabulary()


def test_reference_covers_unknown_tokens_and_truncation(tiny_export):
    record = json.loads((tiny_export / "reference-logits.json").read_text(encoding="utf-8"))
    pairs = record["pairs"]
    assert len(pairs) == len(mgeo_pairs.PAIRS)
    unk = ex.tiny_vocabulary().index("[UNK]")
    assert any(unk in p["input_ids"] for p in pairs)
    assert sum(len(p["input_ids"]) == 128 for p in pairs) >= 3
    for p in pairs:
        assert len(p["logits"]) == 3
        assert len(p["input_ids"]) == len(p["token_type_ids"]) <= 128


def test_reference_records_where_the_rust_tokenizer_cuts_differently(tiny_export):
    record = json.loads((tiny_export / "reference-logits.json").read_text(encoding="utf-8"))
    assert record["tokenizer_class"] == "BertTokenizer"
    differing = [p for p in record["pairs"] if "fast_input_ids" in p]
    assert [p["note"] for p in differing] == [
        "equal length and long: tie broken by longest-first truncation"
    ]
    (pair,) = differing
    assert len(pair["fast_input_ids"]) == len(pair["input_ids"]) == 128
    # The Python tokenizer keeps the odd token in the first address, the Rust one in the second.
    assert sum(pair["fast_token_type_ids"]) == sum(pair["token_type_ids"]) + 1


def test_checkpoint_missing_a_weight_is_refused(tmp_path):
    import torch

    source = tmp_path / "source"
    ex.write_tiny_source(source, ex.DEFAULT_SEED, 128)
    state = torch.load(source / "pytorch_model.bin", weights_only=True)
    del state["classifier.weight"]
    torch.save(state, source / "pytorch_model.bin")
    with pytest.raises(ex.CheckFailed, match=r"lacks 1 weight.*classifier.weight"):
        ex.load_mgeo(str(source), None, None)


def test_map_fusion_layers_are_not_needed_text_only(tmp_path):
    import torch

    source = tmp_path / "source"
    ex.write_tiny_source(source, ex.DEFAULT_SEED, 128)
    state = torch.load(source / "pytorch_model.bin", weights_only=True)
    fusion = f".layer.{ex.TINY_FUSION_LAYER}."
    for key in [k for k in state if fusion in k]:
        del state[key]
    torch.save(state, source / "pytorch_model.bin")
    loaded = ex.load_mgeo(str(source), None, None)
    assert loaded.model.config.fusion_layer == ex.TINY_FUSION_LAYER


def test_check_passes_on_a_fresh_export(tiny_export):
    assert ex.check_fixture(tiny_export, None) == []


def test_committed_fixture_regenerates_within_tolerance(committed_fixture):
    if not committed_fixture.is_dir():
        pytest.skip(f"{committed_fixture} is not present")
    assert ex.check_fixture(committed_fixture, None) == []


def test_check_fails_when_a_weight_changes(tiny_export, tmp_path):
    model_dir = copy_model(tiny_export, tmp_path)
    model = onnx.load(str(model_dir / "model.onnx"))
    (bias,) = [t for t in model.graph.initializer if t.name.endswith("classifier.bias")]
    changed = numpy_helper.to_array(bias) + np.float32(0.01)
    bias.CopyFrom(numpy_helper.from_array(changed, bias.name))
    onnx.save(model, str(model_dir / "model.onnx"))

    failures = ex.check_fixture(model_dir, None)
    assert len(failures) == 1
    assert "logits differ from the stored ones by 0.01" in failures[0]
    assert ex.main(["--check-fixture", str(model_dir)]) == 1


def test_check_fails_when_the_graph_is_damaged(tiny_export, tmp_path):
    model_dir = copy_model(tiny_export, tmp_path)
    data = (model_dir / "model.onnx").read_bytes()
    (model_dir / "model.onnx").write_bytes(data[: len(data) // 2])
    failures = ex.check_fixture(model_dir, None)
    assert any("model.onnx cannot be run" in f for f in failures), failures


def test_check_fails_when_a_variant_drifts(tiny_export, tmp_path):
    model_dir = copy_model(tiny_export, tmp_path)
    int8_model = tmp_path / "tiny-mgeo-int8" / "model.onnx"
    model = onnx.load(str(int8_model))
    (bias,) = [t for t in model.graph.initializer if t.name.endswith("classifier.bias")]
    bias.CopyFrom(numpy_helper.from_array(np.array([3.0, 0.0, 0.0], np.float32), bias.name))
    onnx.save(model, str(int8_model))
    failures = ex.check_fixture(model_dir, None)
    assert any("the int8 tolerance" in f for f in failures), failures


def test_check_fails_when_the_vocabulary_changes(tiny_export, tmp_path):
    model_dir = copy_model(tiny_export, tmp_path)
    lines = (model_dir / "vocab.txt").read_text(encoding="utf-8").splitlines()
    lines[10], lines[11] = lines[11], lines[10]
    (model_dir / "vocab.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    failures = ex.check_fixture(model_dir, None)
    assert any("other token ids than stored" in f for f in failures), failures
    assert any("regenerated tiny vocabulary differs" in f for f in failures), failures


class _Config:
    def __init__(self, id2label):
        self.id2label = id2label
        self.num_labels = len(id2label)


def test_labels_come_from_the_config_in_logit_order():
    config = _Config({0: "exact_match", 1: "Not-Match", 2: "partial_match"})
    assert ex.label_order(config, None) == ["exact_match", "not_match", "partial_match"]


def test_labels_the_service_does_not_know_are_refused():
    with pytest.raises(ex.CheckFailed, match="pass --labels"):
        ex.label_order(_Config({0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"}), None)


def test_labels_given_on_the_command_line_win():
    override = ["partial_match", "exact_match", "not_match"]
    assert ex.label_order(_Config({0: "a", 1: "b", 2: "c"}), override) == override


def test_sample_pairs_survive_the_services_normalisation():
    for address1, address2, _ in mgeo_pairs.PAIRS:
        assert ex.service_text(address1) == address1
        assert ex.service_text(address2) == address2
    with pytest.raises(ValueError, match="NFKC"):
        mgeo_pairs.check_plain("北京市朝阳区建国路８８号")
