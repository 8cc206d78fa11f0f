#!/usr/bin/env python3
"""Builds the optimised variants of an exported pair-classifier model directory.

Variants, each written as a complete model directory beside the source
(``DIR-fused``, ``DIR-fp16``, ``DIR-int8``):

  fused  fp32 with attention, layer-norm and GELU fusion by the offline
         ``onnxruntime.transformers`` optimizer (model type bert). ONNX
         Runtime's own session-time optimizer does not fuse attention on
         these graphs, the offline one does.
  fp16   the fused graph converted to float16, inputs and output kept in
         their original types (int64 ids, float32 logits). Meant for the
         CUDA execution provider, where tensor cores need half precision.
  int8   the fused graph with weights quantised to int8 by dynamic
         quantisation (activations quantised at run time). Meant for the
         CPU. Fusion runs first because quantisation then covers the fused
         attention as one unit.

Every variant is run with ONNX Runtime on the sample pairs and compared with
reference logits; the check reports label agreement and the largest absolute
logit difference, and fails past the variant's tolerance.

Usage, on a directory written by export_mgeo_onnx.py:

  python scripts/optimize_onnx.py --model-dir models/mgeo-base --variants fp16,int8

The number of attention heads and the hidden size are read from the
directory's reference-logits.json (written by the export); pass --num-heads
and --hidden-size for a directory without one.
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

LOG = logging.getLogger("optimize_onnx")

MODEL_FILE = "model.onnx"
MANIFEST_FILE = "manifest.json"
REFERENCE_FILE = "reference-logits.json"
TOKENIZER_FILES = ("vocab.txt", "tokenizer_config.json", "tokenizer.json")

VARIANTS = ("fused", "fp16", "int8")


@dataclass(frozen=True)
class Tolerance:
    """How far a variant may drift from the fp32 reference on the sample pairs.

    max_abs_diff: largest absolute logit difference allowed.
    min_agreement: smallest share of pairs whose most probable label must
        equal the reference's (1.0 means every pair).
    """

    max_abs_diff: float
    min_agreement: float


# fused: the same arithmetic in a different order. fp16: about three decimal
# digits per value through every layer. int8: weights rounded to 256 levels,
# so logits move by tenths; only the labels are expected to hold.
TOLERANCES = {
    "fused": Tolerance(max_abs_diff=1e-4, min_agreement=1.0),
    "fp16": Tolerance(max_abs_diff=2e-2, min_agreement=1.0),
    "int8": Tolerance(max_abs_diff=0.5, min_agreement=0.9),
}


def parse_max_diff(text: str) -> tuple[str, float]:
    """Reads VARIANT=DIFF, a variant's largest allowed logit difference."""
    name, _, value = text.partition("=")
    try:
        diff = float(value)
    except ValueError:
        diff = -1.0
    if name not in VARIANTS or diff <= 0:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not VARIANT=DIFF with VARIANT one of {', '.join(VARIANTS)} and DIFF > 0"
        )
    return name, diff


def tolerances_with(overrides: list[tuple[str, float]] | None) -> dict[str, Tolerance]:
    """The default tolerances with the given largest differences replaced."""
    tolerances = dict(TOLERANCES)
    for name, diff in overrides or []:
        tolerances[name] = replace(tolerances[name], max_abs_diff=diff)
    return tolerances


class CheckFailed(Exception):
    """An exported or optimised model disagrees with its reference."""


@dataclass(frozen=True)
class Comparison:
    """Outcome of comparing logits with a reference.

    max_abs_diff: largest absolute difference over all pairs and labels.
    agreement: share of pairs with the same most probable label.
    disagreeing: indexes of the pairs whose label differs.
    """

    max_abs_diff: float
    agreement: float
    disagreeing: tuple[int, ...]

    def describe(self) -> str:
        text = (
            f"largest logit difference {self.max_abs_diff:.3g},"
            f" labels agree on {self.agreement:.0%}"
        )
        if self.disagreeing:
            text += f" (pairs {list(self.disagreeing)} differ)"
        return text


def compare(reference: np.ndarray, actual: np.ndarray) -> Comparison:
    """Compares two [pairs, labels] logit arrays."""
    if reference.shape != actual.shape:
        raise CheckFailed(f"logits have shape {actual.shape}; the reference has {reference.shape}")
    diff = float(np.max(np.abs(reference.astype(np.float64) - actual.astype(np.float64))))
    same = np.argmax(reference, axis=1) == np.argmax(actual, axis=1)
    disagreeing = tuple(int(i) for i in np.flatnonzero(~same))
    return Comparison(diff, float(np.mean(same)), disagreeing)


def pad_batch(encodings: list[dict], pad_id: int) -> dict[str, np.ndarray]:
    """Pads encodings to the longest one, as the service's TokenBatch does."""
    width = max(len(e["input_ids"]) for e in encodings)
    rows = len(encodings)
    ids = np.full((rows, width), pad_id, dtype=np.int64)
    mask = np.zeros((rows, width), dtype=np.int64)
    types = np.zeros((rows, width), dtype=np.int64)
    for r, e in enumerate(encodings):
        n = len(e["input_ids"])
        ids[r, :n] = e["input_ids"]
        mask[r, :n] = 1
        types[r, :n] = e["token_type_ids"]
    return {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}


def onnx_logits(model_dir: Path, encodings: list[dict], pad_id: int) -> np.ndarray:
    """Runs a model directory's graph on the CPU over one padded batch of encodings."""
    import onnxruntime as ort

    manifest = json.loads((model_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(
        str(model_dir / MODEL_FILE), options, providers=["CPUExecutionProvider"]
    )
    batch = pad_batch(encodings, pad_id)
    names = manifest["inputs"]
    feeds = {names[key]: batch[key] for key in ("input_ids", "attention_mask", "token_type_ids")}
    (logits,) = session.run([manifest["output"]], feeds)
    if logits.dtype != np.float32:
        raise CheckFailed(f"{model_dir}: output is {logits.dtype}; the service reads float32")
    return logits


def _copy_model_files(src: Path, dst: Path, version_suffix: str) -> None:
    dst.mkdir(parents=True, exist_ok=True)
    for name in TOKENIZER_FILES:
        if (src / name).is_file():
            shutil.copyfile(src / name, dst / name)
    manifest = json.loads((src / MANIFEST_FILE).read_text(encoding="utf-8"))
    manifest["version"] = f"{manifest['version']}-{version_suffix}"
    write_json(dst / MANIFEST_FILE, manifest)


def write_json(path: Path, value: object) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _fuse(src: Path, num_heads: int, hidden_size: int):
    from onnxruntime.transformers.fusion_options import FusionOptions
    from onnxruntime.transformers.optimizer import optimize_model

    # opt_level 0: Python fusions only, so the graph holds no kernels chosen
    # for one execution provider and runs on the CPU and CUDA alike.
    model = optimize_model(
        str(src),
        model_type="bert",
        num_heads=num_heads,
        hidden_size=hidden_size,
        optimization_options=FusionOptions("bert"),
        opt_level=0,
        use_gpu=False,
    )
    fused = {k: v for k, v in model.get_fused_operator_statistics().items() if v}
    LOG.info("fused operators: %s", fused)
    if not fused.get("Attention") and not fused.get("MultiHeadAttention"):
        LOG.warning("attention was not fused; the variant still works but gains less")
    return model


def build_variant(
    variant: str, src_dir: Path, dst_dir: Path, num_heads: int, hidden_size: int
) -> Path:
    """Writes one variant of the model directory src_dir into dst_dir."""
    if variant not in VARIANTS:
        raise ValueError(f"variant is '{variant}'; expected one of {', '.join(VARIANTS)}")
    _copy_model_files(src_dir, dst_dir, variant)
    model = _fuse(src_dir / MODEL_FILE, num_heads, hidden_size)
    target = dst_dir / MODEL_FILE
    if variant == "fused":
        model.save_model_to_file(str(target))
    elif variant == "fp16":
        # keep_io_types: ids stay int64 and logits float32, as the manifest says.
        model.convert_float_to_float16(keep_io_types=True)
        model.save_model_to_file(str(target))
    else:
        from onnxruntime.quantization import QuantType, quant_pre_process, quantize_dynamic

        with tempfile.TemporaryDirectory() as tmp:
            fused_path = Path(tmp) / "fused.onnx"
            shaped_path = Path(tmp) / "shaped.onnx"
            model.save_model_to_file(str(fused_path))
            # Symbolic shape inference knows the fused com.microsoft operators,
            # which plain ONNX shape inference does not; the quantiser needs
            # the type of every tensor it touches. No further optimisation:
            # the fusion above already did it.
            quant_pre_process(fused_path, shaped_path, skip_optimization=True, auto_merge=True)
            quantize_dynamic(shaped_path, target, weight_type=QuantType.QInt8)
    LOG.info("wrote %s (%d bytes)", target, target.stat().st_size)
    return dst_dir


def check_variant(
    variant: str,
    model_dir: Path,
    encodings: list[dict],
    pad_id: int,
    reference: np.ndarray,
    tolerance: Tolerance | None = None,
) -> Comparison:
    """Runs a variant on the samples and fails when it drifts past its tolerance."""
    tolerance = tolerance or TOLERANCES[variant]
    result = compare(reference, onnx_logits(model_dir, encodings, pad_id))
    LOG.info("%s: %s", variant, result.describe())
    if result.max_abs_diff > tolerance.max_abs_diff or result.agreement < tolerance.min_agreement:
        raise CheckFailed(
            f"{model_dir}: {result.describe()}; the {variant} tolerance is a difference of at most"
            f" {tolerance.max_abs_diff:g} and agreement of at least {tolerance.min_agreement:.0%}"
        )
    return result


def variant_dir(model_dir: Path, variant: str) -> Path:
    """Where the variant of a model directory goes: a sibling named DIR-variant."""
    return model_dir.parent / f"{model_dir.name}-{variant}"


def parse_variants(text: str) -> list[str]:
    names = [v.strip() for v in text.split(",") if v.strip()]
    for name in names:
        if name not in VARIANTS:
            raise argparse.ArgumentTypeError(
                f"variant '{name}' is unknown; expected a comma-separated list of"
                f" {', '.join(VARIANTS)}"
            )
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model-dir", type=Path, required=True, help="fp32 model directory")
    parser.add_argument("--variants", type=parse_variants, default=["fp16", "int8"])
    parser.add_argument(
        "--num-heads", type=int, help="attention heads (default: from the reference)"
    )
    parser.add_argument("--hidden-size", type=int, help="hidden size (default: from the reference)")
    parser.add_argument(
        "--max-diff",
        type=parse_max_diff,
        action="append",
        metavar="VARIANT=DIFF",
        help="replace a variant's largest allowed logit difference, e.g. int8=0.8",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")

    reference_file = args.model_dir / REFERENCE_FILE
    if not reference_file.is_file():
        LOG.error("%s is missing: the variants are checked against it", reference_file)
        return 2
    reference = json.loads(reference_file.read_text(encoding="utf-8"))
    num_heads = args.num_heads or reference["model"]["num_attention_heads"]
    hidden_size = args.hidden_size or reference["model"]["hidden_size"]
    encodings = reference["pairs"]
    logits = np.array([p["logits"] for p in encodings], dtype=np.float32)
    try:
        for variant in args.variants:
            target = variant_dir(args.model_dir, variant)
            build_variant(variant, args.model_dir, target, num_heads, hidden_size)
            check_variant(
                variant,
                target,
                encodings,
                reference["pad_id"],
                logits,
                tolerances_with(args.max_diff)[variant],
            )
    except CheckFailed as e:
        LOG.error("%s", e)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
