#!/usr/bin/env python3
"""Exports MGeo to a model directory the address-match service can serve.

MGeo (ModelScope ``damo/mgeo_geographic_entity_alignment_chinese_base``) is
loaded through ModelScope's own ``MGeoForSequenceClassification`` and exported
text-only: the optional map (GIS) inputs are left out, so the graph takes
``input_ids``, ``attention_mask`` and ``token_type_ids`` (int64, [batch,
sequence], both axes dynamic) and returns ``logits`` (float32, [batch, 3]).
Only the first ``fusion_layer`` encoder layers run in text-only mode; the
export holds exactly those.

Written into --out:
  model.onnx              the fp32 graph
  vocab.txt               the tokenizer's vocabulary, one token a line
  tokenizer_config.json   do_lower_case and friends, as the model's tokenizer uses them
  manifest.json           the service's model contract, labels in the model's own order
  reference-logits.json   the sample pairs, their token ids and PyTorch's logits

and, with --variants, sibling directories OUT-fused, OUT-fp16, OUT-int8 (see
optimize_onnx.py). The export is run with ONNX Runtime on the sample pairs
(one padded batch, as the service runs them) and fails when any logit differs
from PyTorch's (each pair run alone, unpadded) by more than --tolerance.

Tiny mode (--tiny) needs no download: it builds a randomly initialised
MGeoForSequenceClassification, the same class and input signature as MGeo,
with three encoder layers of width 32 of which two run text-only
(fusion_layer 2, as MGeo's config decides how many of its layers run), and a
vocabulary made of the characters of the sample pairs. The weights come from
a fixed seed. The model is saved as a ModelScope model directory and loaded
back through ModelScope's Model.from_pretrained, the loader used for real
MGeo, before the same export and checks run. The test fixtures under
src/test/resources/models/tiny-mgeo* are made this way.

Before the export, every weight that runs text-only must be present in the
checkpoint: Hugging Face fills a missing weight with random values, and
ModelScope silences its warning, so a mismatched checkpoint would otherwise
export a random model that still agrees with PyTorch.

--check-fixture DIR checks a directory written earlier: the token ids of the
saved tokenizer files against the stored ones, ONNX Runtime's logits against
the stored PyTorch logits, any sibling variants against their tolerances and,
for a tiny model, that regenerating it from its seed reproduces the stored
logits.

Examples:
  python scripts/export_mgeo_onnx.py --revision REV --out models/mgeo-base
  python scripts/export_mgeo_onnx.py --model /data/mgeo-download --out models/mgeo-base
  python scripts/export_mgeo_onnx.py --check-fixture models/mgeo-base
  python scripts/export_mgeo_onnx.py --tiny --out src/test/resources/models/tiny-mgeo
  python scripts/export_mgeo_onnx.py --check-fixture src/test/resources/models/tiny-mgeo

Exit status: 0 when every check passes, 1 when a check fails, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import mgeo_pairs
import optimize_onnx
from optimize_onnx import CheckFailed, compare, write_json

LOG = logging.getLogger("export_mgeo_onnx")

DEFAULT_MODEL = "damo/mgeo_geographic_entity_alignment_chinese_base"
SERVICE_LABELS = ("not_match", "partial_match", "exact_match")

# PyTorch against ONNX Runtime, both fp32: the same arithmetic in a different
# order leaves differences around 1e-6; 1e-4 leaves room for other CPUs.
FP32_TOLERANCE = 1e-4
DEFAULT_MAX_LENGTH = 128
DEFAULT_OPSET = 17
# Among seeds 1 to 399, the one whose tiny model spreads the sample logits
# furthest (top two at least 0.037 apart on every pair) while each label wins
# on some pair, so that label checks do not hinge on rounding.
DEFAULT_SEED = 60

SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")

# The tiny model: three layers, of which the first two run text-only.
TINY_HIDDEN_SIZE = 32
TINY_LAYERS = 3
TINY_FUSION_LAYER = 2
TINY_HEADS = 2
TINY_INTERMEDIATE_SIZE = 64
# Wider than BERT's 0.02 so that the random logits of different pairs are
# far enough apart for label checks to mean something.
TINY_INITIALIZER_RANGE = 0.2


@dataclass
class LoadedModel:
    """A ModelScope MGeo classifier with the tokenizer its pipeline uses."""

    model: object
    tokenizer: object
    labels: list[str]
    source: str


# ---------------------------------------------------------------- loading


def load_mgeo(
    model_ref: str, revision: str | None, labels_override: list[str] | None
) -> LoadedModel:
    """Loads MGeo through ModelScope, as its sentence-similarity pipeline does."""
    from modelscope.models import Model
    from modelscope.models.multi_modal.mgeo.text_classification import (
        MGeoForSequenceClassification,
    )
    from modelscope.preprocessors.nlp.text_classification_preprocessor import (
        TextClassificationTransformersPreprocessor,
    )
    from modelscope.utils.constant import Tasks

    kwargs = {"task": Tasks.sentence_similarity}
    if revision:
        kwargs["revision"] = revision
    model = Model.from_pretrained(model_ref, **kwargs)
    if not isinstance(model, MGeoForSequenceClassification):
        raise CheckFailed(
            f"{model_ref} loads as {type(model).__name__}; expected MGeoForSequenceClassification"
        )
    model.eval()
    config = model.config
    fusion_layer = getattr(config, "fusion_layer", None)
    if fusion_layer is None:
        raise CheckFailed(f"{model_ref}: config has no fusion_layer; this is not an MGeo config")
    LOG.info(
        "loaded %s from %s: %d of %d encoder layers run text-only (fusion_layer), hidden size %d",
        type(model).__name__,
        model.model_dir,
        min(fusion_layer, config.num_hidden_layers),
        config.num_hidden_layers,
        config.hidden_size,
    )
    check_weights_loaded(model, Path(model.model_dir))
    # The preprocessor builds the tokenizer the pipeline uses (AutoTokenizer
    # over the model directory for MGeo); padding and length are set per call.
    tokenizer = TextClassificationTransformersPreprocessor(model.model_dir).nlp_tokenizer.tokenizer
    return LoadedModel(model, tokenizer, label_order(config, labels_override), model_ref)


def checkpoint_keys(model_dir: Path) -> set[str] | None:
    """Tensor names in the model directory's checkpoint, or None when none is recognised."""
    for index in ("model.safetensors.index.json", "pytorch_model.bin.index.json"):
        if (model_dir / index).is_file():
            return set(json.loads((model_dir / index).read_text(encoding="utf-8"))["weight_map"])
    if (model_dir / "model.safetensors").is_file():
        from safetensors import safe_open

        with safe_open(str(model_dir / "model.safetensors"), framework="pt") as f:
            return set(f.keys())
    if (model_dir / "pytorch_model.bin").is_file():
        import torch

        state = torch.load(model_dir / "pytorch_model.bin", map_location="cpu", weights_only=True)
        return set(state)
    return None


def check_weights_loaded(model, model_dir: Path) -> None:
    """Fails when a weight that runs text-only is missing from the checkpoint.

    Hugging Face fills missing weights with random values and ModelScope
    silences the warning, so a renamed or partial checkpoint would otherwise
    export a random model that still passes the PyTorch comparison.
    """
    keys = checkpoint_keys(model_dir)
    if keys is None:
        LOG.warning(
            "%s: no checkpoint file recognised; cannot confirm the weights loaded", model_dir
        )
        return
    # Older BERT checkpoints name layer-norm weights gamma and beta.
    present = {k.replace(".gamma", ".weight").replace(".beta", ".bias") for k in keys}
    prefix = model.base_model_prefix + "."
    fusion_layer = model.config.fusion_layer
    missing = []
    for name, _ in model.named_parameters():
        layer = name.split(".layer.")[1].split(".")[0] if ".layer." in name else None
        if layer is not None and int(layer) >= fusion_layer:
            continue  # map-fusion layers: never run text-only
        if name not in present and name.removeprefix(prefix) not in present:
            missing.append(name)
    if missing:
        raise CheckFailed(
            f"{model_dir}: the checkpoint lacks {len(missing)} weight(s) the text-only model runs,"
            f" e.g. {missing[:3]}; they would be random"
        )


def label_order(config, override: list[str] | None) -> list[str]:
    """The service's label for each logit, from the model config's id2label."""
    if override:
        labels = override
    else:
        id2label = {int(k): v for k, v in (config.id2label or {}).items()}
        if sorted(id2label) != list(range(config.num_labels)):
            raise CheckFailed(f"config id2label {config.id2label} does not cover every logit")
        labels = [
            str(id2label[i]).strip().lower().replace("-", "_") for i in range(config.num_labels)
        ]
    if sorted(labels) != sorted(SERVICE_LABELS):
        raise CheckFailed(
            f"the model's labels are {labels}; the service needs each of"
            f" {list(SERVICE_LABELS)} once."
            " If the model names them differently, check its card and pass --labels in logit order"
        )
    return labels


def tokenizer_settings(tokenizer) -> dict:
    """The BERT tokenizer settings the service's vocab.txt loader reads."""
    basic = getattr(tokenizer, "basic_tokenizer", None)
    init = getattr(tokenizer, "init_kwargs", {}) or {}
    settings = {
        "do_lower_case": bool(getattr(tokenizer, "do_lower_case", init.get("do_lower_case", True))),
        "tokenize_chinese_chars": bool(
            getattr(basic, "tokenize_chinese_chars", init.get("tokenize_chinese_chars", True))
        ),
    }
    strip = getattr(basic, "strip_accents", init.get("strip_accents"))
    if strip is not None:
        settings["strip_accents"] = bool(strip)
    for attribute, token in (
        ("cls_token", "[CLS]"),
        ("sep_token", "[SEP]"),
        ("pad_token", "[PAD]"),
        ("unk_token", "[UNK]"),
    ):
        if str(getattr(tokenizer, attribute)) != token:
            raise CheckFailed(
                f"the tokenizer's {attribute} is {getattr(tokenizer, attribute)!r}; the service's"
                f" vocab.txt loader expects {token}"
            )
    return settings


def vocabulary(tokenizer) -> list[str]:
    """The vocabulary in id order; ids must run from 0 without gaps."""
    by_id = {i: t for t, i in tokenizer.get_vocab().items()}
    if sorted(by_id) != list(range(len(by_id))):
        raise CheckFailed("the tokenizer's vocabulary ids are not 0..n-1; vocab.txt cannot hold it")
    return [by_id[i] for i in range(len(by_id))]


# ---------------------------------------------------------------- encoding


def service_text(text: str) -> str:
    """What the service tokenizes: NFKC-normalised, trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def encode_pairs(tokenizer, pairs, max_length: int) -> list[dict]:
    """Encodes each pair as [CLS] a [SEP] b [SEP], cut longest side first."""
    encodings = []
    for address1, address2, note in pairs:
        encoded = tokenizer(
            service_text(address1),
            service_text(address2),
            truncation="longest_first",
            max_length=max_length,
            padding=False,
            return_token_type_ids=True,
        )
        encodings.append(
            {
                "address1": address1,
                "address2": address2,
                "note": note,
                "input_ids": [int(i) for i in encoded["input_ids"]],
                "token_type_ids": [int(i) for i in encoded["token_type_ids"]],
            }
        )
    return encodings


def saved_tokenizer(directory: Path, fast: bool):
    """A Hugging Face BERT tokenizer over a model directory's vocab.txt and settings."""
    from transformers import BertTokenizer, BertTokenizerFast

    settings = json.loads((directory / "tokenizer_config.json").read_text(encoding="utf-8"))
    kind = BertTokenizerFast if fast else BertTokenizer
    return kind(
        vocab_file=str(directory / "vocab.txt"),
        do_lower_case=settings.get("do_lower_case", True),
        tokenize_chinese_chars=settings.get("tokenize_chinese_chars", True),
        strip_accents=settings.get("strip_accents"),
    )


def note_fast_differences(directory: Path, encodings: list[dict], max_length: int) -> int:
    """Adds fast_input_ids where Hugging Face's Rust tokenizer cuts a pair differently.

    The two Hugging Face tokenizers disagree on longest-first truncation when
    both addresses are cut and the budget left is odd: the Python tokenizer
    keeps the extra token in the first address, the Rust one in the second.
    ModelScope's pipeline uses the Python one unless the model's
    tokenizer_config.json asks for use_fast; the service's Java tokenizer
    follows the Rust one. Recording both makes the difference visible in the
    Java tests instead of hiding it.
    """
    fast = saved_tokenizer(directory, fast=True)
    triples = [(e["address1"], e["address2"], e["note"]) for e in encodings]
    differences = 0
    for e, f in zip(encodings, encode_pairs(fast, triples, max_length)):
        if f["input_ids"] != e["input_ids"] or f["token_type_ids"] != e["token_type_ids"]:
            e["fast_input_ids"] = f["input_ids"]
            e["fast_token_type_ids"] = f["token_type_ids"]
            differences += 1
    if differences:
        LOG.warning(
            "%d sample pair(s) are cut differently by the Rust tokenizer, which the service's"
            " tokenizer follows; see fast_input_ids in the reference",
            differences,
        )
    return differences


# ---------------------------------------------------------------- torch


def text_only(model):
    """A module whose forward takes the three text inputs and returns the logits."""
    import torch

    class TextOnlyLogits(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            # gis_list None: MGeo's text-only path, no map inputs.
            outputs = self.inner.forward(
                input_ids=input_ids,
                attention_mask=attention_mask,
                token_type_ids=token_type_ids,
                return_dict=False,
                gis_list=None,
                gis_tp=None,
            )
            return outputs[0]

    return TextOnlyLogits(model).eval()


def torch_logits(model, encodings: list[dict]) -> np.ndarray:
    """PyTorch's logits, each pair run alone without padding: the reference."""
    import torch

    wrapper = text_only(model)
    rows = []
    with torch.inference_mode():
        for e in encodings:
            ids = torch.tensor([e["input_ids"]], dtype=torch.long)
            types = torch.tensor([e["token_type_ids"]], dtype=torch.long)
            rows.append(wrapper(ids, torch.ones_like(ids), types)[0].float().numpy())
    return np.stack(rows).astype(np.float32)


def export_onnx(model, encodings: list[dict], pad_id: int, target: Path, opset: int) -> None:
    """Traces the text-only model into an ONNX graph with dynamic batch and sequence axes."""
    import torch

    batch = optimize_onnx.pad_batch(encodings[:2], pad_id)
    example = tuple(
        torch.from_numpy(batch[k]) for k in ("input_ids", "attention_mask", "token_type_ids")
    )
    axes = {0: "batch", 1: "sequence"}
    kwargs = {}
    if "dynamo" in torch.onnx.export.__code__.co_varnames:
        # The TorchScript exporter: dynamic_axes as written, and the graph
        # shape that the onnxruntime.transformers fusions recognise.
        kwargs["dynamo"] = False
    with torch.inference_mode():
        torch.onnx.export(
            text_only(model),
            example,
            str(target),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["logits"],
            dynamic_axes={
                "input_ids": axes,
                "attention_mask": axes,
                "token_type_ids": axes,
                "logits": {0: "batch"},
            },
            opset_version=opset,
            do_constant_folding=True,
            **kwargs,
        )
    import onnx

    onnx.checker.check_model(str(target))


# ---------------------------------------------------------------- tiny model


def tiny_vocabulary() -> list[str]:
    """Special tokens, every character of the sample pairs, and ## forms of non-CJK ones.

    Text is lower-cased first, as the tokenizer will. Digits and Latin letters
    also get a ## continuation form so that runs such as 1206 or soho split
    into characters instead of becoming [UNK]. The characters in
    mgeo_pairs.UNKNOWN_CHARACTERS are left out on purpose.
    """
    characters = set()
    for address1, address2, _ in mgeo_pairs.PAIRS:
        for ch in service_text(address1 + address2).lower():
            if not ch.isspace() and ch not in mgeo_pairs.UNKNOWN_CHARACTERS:
                characters.add(ch)
    tokens = list(SPECIAL_TOKENS) + sorted(characters)
    tokens += sorted("##" + ch for ch in characters if ch.isascii() and ch.isalnum())
    return tokens


def write_tiny_source(target: Path, seed: int, max_length: int) -> dict:
    """Saves a random tiny MGeo classifier as a ModelScope model directory."""
    import torch
    from modelscope.models.multi_modal.mgeo.text_classification import (
        MGeoForSequenceClassification,
    )
    from transformers import BertConfig

    vocab = tiny_vocabulary()
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=TINY_HIDDEN_SIZE,
        num_hidden_layers=TINY_LAYERS,
        num_attention_heads=TINY_HEADS,
        intermediate_size=TINY_INTERMEDIATE_SIZE,
        max_position_embeddings=max_length,
        type_vocab_size=2,
        initializer_range=TINY_INITIALIZER_RANGE,
        pad_token_id=0,
        num_labels=len(SERVICE_LABELS),
        id2label=dict(enumerate(SERVICE_LABELS)),
        label2id={label: i for i, label in enumerate(SERVICE_LABELS)},
    )
    # MGeo's own config fields: layers from fusion_layer on belong to the map
    # fusion and are skipped in text-only mode; gis_embedding 0 selects the
    # plain text embeddings; encoder_width sizes the unused cross-attention.
    config.fusion_layer = TINY_FUSION_LAYER
    config.gis_embedding = 0
    config.encoder_width = TINY_HIDDEN_SIZE

    torch.manual_seed(seed)
    model = MGeoForSequenceClassification(config)

    target.mkdir(parents=True, exist_ok=True)
    config.to_json_file(str(target / "config.json"))
    torch.save(model.state_dict(), target / "pytorch_model.bin")
    write_json(
        target / "configuration.json",
        {
            "framework": "pytorch",
            "task": "sentence-similarity",
            "model": {"type": "mgeo"},
            "pipeline": {"type": "sentence-similarity"},
        },
    )
    (target / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    write_json(
        target / "tokenizer_config.json",
        {"do_lower_case": True, "tokenize_chinese_chars": True, "tokenizer_class": "BertTokenizer"},
    )
    return {
        "seed": seed,
        "vocab_size": len(vocab),
        "initializer_range": TINY_INITIALIZER_RANGE,
        "max_position_embeddings": max_length,
    }


# ---------------------------------------------------------------- export


def manifest_for(name: str, version: str, max_length: int, labels: list[str]) -> dict:
    return {
        "name": name,
        "version": version,
        "kind": "pair-classifier",
        "max_sequence_length": max_length,
        "inputs": {
            "input_ids": "input_ids",
            "attention_mask": "attention_mask",
            "token_type_ids": "token_type_ids",
        },
        "output": "logits",
        "labels": labels,
    }


def library_versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    versions = {}
    for package in ("torch", "transformers", "modelscope", "onnx", "onnxruntime"):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = None
    return versions


def export(
    loaded: LoadedModel,
    out: Path,
    *,
    name: str,
    version: str,
    max_length: int,
    opset: int,
    tolerance: float,
    variants: list[str],
    tiny: dict | None,
    tolerances: dict[str, optimize_onnx.Tolerance] | None = None,
) -> None:
    """Exports, writes the model directory and checks it; then builds and checks the variants."""
    model, tokenizer = loaded.model, loaded.tokenizer
    config = model.config
    if max_length > config.max_position_embeddings:
        raise CheckFailed(
            f"--max-length is {max_length}; the model has only {config.max_position_embeddings}"
            " positions"
        )
    settings = tokenizer_settings(tokenizer)
    vocab = vocabulary(tokenizer)
    pad_id = vocab.index("[PAD]")
    encodings = encode_pairs(tokenizer, mgeo_pairs.PAIRS, max_length)
    reference = torch_logits(model, encodings)

    out.mkdir(parents=True, exist_ok=True)
    export_onnx(model, encodings, pad_id, out / optimize_onnx.MODEL_FILE, opset)
    (out / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    write_json(out / "tokenizer_config.json", settings)
    write_json(
        out / optimize_onnx.MANIFEST_FILE, manifest_for(name, version, max_length, loaded.labels)
    )

    for e, row in zip(encodings, reference):
        e["logits"] = [float(v) for v in row]
    note_fast_differences(out, encodings, max_length)
    record = {
        "about": "Sample address pairs, their token ids as the source tokenizer made them and the"
        " logits of the PyTorch model, each pair run alone. Written by"
        " scripts/export_mgeo_onnx.py; check with its --check-fixture.",
        "source": loaded.source,
        "model": {
            "class": type(model).__name__,
            "num_hidden_layers": config.num_hidden_layers,
            "fusion_layer": config.fusion_layer,
            "hidden_size": config.hidden_size,
            "num_attention_heads": config.num_attention_heads,
            "vocab_size": len(vocab),
        },
        "tiny": tiny,
        "generated_with": library_versions(),
        "tokenizer_class": type(tokenizer).__name__,
        "max_sequence_length": max_length,
        "labels": loaded.labels,
        "pad_id": pad_id,
        "tolerance": tolerance,
        "pairs": encodings,
    }
    write_json(out / optimize_onnx.REFERENCE_FILE, record)

    result = compare(reference, optimize_onnx.onnx_logits(out, encodings, pad_id))
    LOG.info("fp32 export: %s", result.describe())
    if result.max_abs_diff > tolerance:
        raise CheckFailed(
            f"{out}: ONNX Runtime and PyTorch differ by {result.max_abs_diff:.3g}; the tolerance is"
            f" {tolerance:g} (--tolerance)"
        )
    for variant in variants:
        target = optimize_onnx.variant_dir(out, variant)
        optimize_onnx.build_variant(
            variant, out, target, config.num_attention_heads, config.hidden_size
        )
        optimize_onnx.check_variant(
            variant, target, encodings, pad_id, reference, (tolerances or {}).get(variant)
        )


# ---------------------------------------------------------------- fixture check


def check_fixture(
    directory: Path,
    tolerance: float | None,
    tolerances: dict[str, optimize_onnx.Tolerance] | None = None,
) -> list[str]:
    """Checks a model directory against its reference-logits.json; returns the failures."""
    failures: list[str] = []
    record = json.loads((directory / optimize_onnx.REFERENCE_FILE).read_text(encoding="utf-8"))
    tolerance = tolerance if tolerance is not None else record["tolerance"]
    pairs = record["pairs"]
    stored = np.array([p["logits"] for p in pairs], dtype=np.float32)

    manifest = json.loads((directory / optimize_onnx.MANIFEST_FILE).read_text(encoding="utf-8"))
    expected = manifest_for(
        manifest.get("name"),
        manifest.get("version"),
        record["max_sequence_length"],
        record["labels"],
    )
    if manifest != expected:
        failures.append(f"manifest.json is {manifest}; expected {expected}")

    triples = [(p["address1"], p["address2"], p["note"]) for p in pairs]
    max_length = record["max_sequence_length"]
    pipeline_is_fast = record.get("tokenizer_class", "").endswith("Fast")
    slow_ids = encode_pairs(saved_tokenizer(directory, fast=False), triples, max_length)
    fast_ids = encode_pairs(saved_tokenizer(directory, fast=True), triples, max_length)
    for i, p in enumerate(pairs):
        pipeline = fast_ids[i] if pipeline_is_fast else slow_ids[i]
        if (pipeline["input_ids"], pipeline["token_type_ids"]) != (
            p["input_ids"],
            p["token_type_ids"],
        ):
            failures.append(f"pair {i}: the saved tokenizer files give other token ids than stored")
        expected_fast = (
            p.get("fast_input_ids", p["input_ids"]),
            p.get("fast_token_type_ids", p["token_type_ids"]),
        )
        if (fast_ids[i]["input_ids"], fast_ids[i]["token_type_ids"]) != expected_fast:
            failures.append(f"pair {i}: the Rust tokenizer gives other token ids than stored")

    try:
        result = compare(stored, optimize_onnx.onnx_logits(directory, pairs, record["pad_id"]))
        LOG.info("fp32 model.onnx against the stored logits: %s", result.describe())
        if result.max_abs_diff > tolerance:
            failures.append(
                f"{directory}/model.onnx: logits differ from the stored ones by"
                f" {result.max_abs_diff:.3g}; the tolerance is {tolerance:g}"
            )
    except CheckFailed as e:
        failures.append(str(e))
    except Exception as e:  # ONNX Runtime refuses a damaged graph with its own error types
        failures.append(f"{directory}/model.onnx cannot be run: {e}")

    for variant in optimize_onnx.VARIANTS:
        sibling = optimize_onnx.variant_dir(directory, variant)
        if sibling.is_dir():
            try:
                optimize_onnx.check_variant(
                    variant,
                    sibling,
                    pairs,
                    record["pad_id"],
                    stored,
                    (tolerances or {}).get(variant),
                )
            except CheckFailed as e:
                failures.append(str(e))
            except Exception as e:
                failures.append(f"{sibling}/model.onnx cannot be run: {e}")

    tiny = record.get("tiny")
    if tiny:
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "tiny-source"
            write_tiny_source(source, tiny["seed"], record["max_sequence_length"])
            saved_vocab = (directory / "vocab.txt").read_text(encoding="utf-8")
            if (source / "vocab.txt").read_text(encoding="utf-8") != saved_vocab:
                failures.append("the regenerated tiny vocabulary differs from vocab.txt")
            loaded = load_mgeo(str(source), None, None)
            result = compare(stored, torch_logits(loaded.model, pairs))
            LOG.info("tiny model regenerated from seed %d: %s", tiny["seed"], result.describe())
            if result.max_abs_diff > tolerance:
                failures.append(
                    f"regenerating the tiny model from seed {tiny['seed']} gives logits"
                    f" {result.max_abs_diff:.3g} away from the stored ones; the tolerance is"
                    f" {tolerance:g}"
                )
    return failures


# ---------------------------------------------------------------- command line


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", default=DEFAULT_MODEL, help="ModelScope id or local directory")
    parser.add_argument("--revision", help="ModelScope revision to download (pin it)")
    parser.add_argument(
        "--tiny", action="store_true", help="build and export the tiny random model"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="tiny mode: weight seed")
    parser.add_argument("--out", type=Path, help="model directory to write")
    parser.add_argument(
        "--variants",
        type=lambda s: [] if s == "none" else optimize_onnx.parse_variants(s),
        default=["fp16", "int8"],
        help="comma-separated list of fused, fp16, int8, or none (default fp16,int8)",
    )
    parser.add_argument(
        "--max-length", type=int, default=DEFAULT_MAX_LENGTH, help="tokens per pair"
    )
    parser.add_argument("--opset", type=int, default=DEFAULT_OPSET)
    parser.add_argument("--name", help="manifest name (default mgeo-base, or tiny-mgeo)")
    parser.add_argument("--version", help="manifest version (default the revision, or seed-N)")
    parser.add_argument(
        "--labels",
        type=lambda s: [x.strip() for x in s.split(",")],
        help="service label of each logit, in order, when id2label names them otherwise",
    )
    parser.add_argument(
        "--tolerance",
        type=float,
        help=f"largest fp32 logit difference allowed (default {FP32_TOLERANCE:g})",
    )
    parser.add_argument(
        "--max-diff",
        type=optimize_onnx.parse_max_diff,
        action="append",
        metavar="VARIANT=DIFF",
        help="replace a variant's largest allowed logit difference, e.g. int8=0.8",
    )
    parser.add_argument("--check-fixture", type=Path, metavar="DIR", help="check DIR and exit")
    args = parser.parse_args(argv)
    if args.check_fixture is None and args.out is None:
        parser.error("--out is required unless --check-fixture is given")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    # Repeated on every truncated pair: overflowing tokens are not returned.
    logging.getLogger("transformers.tokenization_utils_base").setLevel(logging.ERROR)
    if args.check_fixture is not None:
        if not (args.check_fixture / optimize_onnx.REFERENCE_FILE).is_file():
            LOG.error("%s has no %s", args.check_fixture, optimize_onnx.REFERENCE_FILE)
            return 2
        failures = check_fixture(
            args.check_fixture, args.tolerance, optimize_onnx.tolerances_with(args.max_diff)
        )
        for failure in failures:
            LOG.error("%s", failure)
        if not failures:
            LOG.info("%s: every check passed", args.check_fixture)
        return 1 if failures else 0

    tolerance = args.tolerance if args.tolerance is not None else FP32_TOLERANCE
    try:
        if args.tiny:
            with tempfile.TemporaryDirectory() as tmp:
                source = Path(tmp) / "tiny-source"
                tiny = write_tiny_source(source, args.seed, args.max_length)
                loaded = load_mgeo(str(source), None, args.labels)
                loaded.source = "tiny random MGeoForSequenceClassification"
                export(
                    loaded,
                    args.out,
                    name=args.name or "tiny-mgeo",
                    version=args.version or f"seed-{args.seed}",
                    max_length=args.max_length,
                    opset=args.opset,
                    tolerance=tolerance,
                    variants=args.variants,
                    tiny=tiny,
                    tolerances=optimize_onnx.tolerances_with(args.max_diff),
                )
        else:
            loaded = load_mgeo(args.model, args.revision, args.labels)
            export(
                loaded,
                args.out,
                name=args.name or "mgeo-base",
                version=args.version or args.revision or "latest",
                max_length=args.max_length,
                opset=args.opset,
                tolerance=tolerance,
                variants=args.variants,
                tiny=None,
                tolerances=optimize_onnx.tolerances_with(args.max_diff),
            )
    except CheckFailed as e:
        LOG.error("%s", e)
        return 1
    LOG.info("wrote %s", args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
