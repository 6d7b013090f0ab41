"""The trm-web model file: safetensors with the reference tensor names, and the config,
the puzzle kind and (with a puzzle table) the table's row names as JSON metadata.

Also the converter from reference checkpoints (`torch.save` state dicts whose keys start
with `_orig_mod.model.inner.`, next to the run's `all_config.yaml`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable, Optional, Sequence

import torch
from safetensors import safe_open
from safetensors.torch import save_file

from .model import TRM, TRMConfig

FORMAT = "trm-web/1"
PUZZLE_KINDS = ("sudoku", "arc", "maze")
REFERENCE_PREFIX = "_orig_mod.model.inner."
# Grid sizes of the puzzle kinds: the reference takes seq_len from its dataset, so a
# converted attention checkpoint (whose weights do not reveal it) needs it from here.
DEFAULT_SEQ_LEN = {"sudoku": 81, "arc": 900, "maze": 900}


def _check_kind(kind: str):
    if kind not in PUZZLE_KINDS:
        raise ValueError(f"puzzle kind must be one of {PUZZLE_KINDS}, not {kind!r}")


def save_model_file(
    path,
    cfg: TRMConfig,
    state: dict,
    puzzle_kind: str,
    puzzle_rows: Optional[Sequence[str]] = None,
    dtype: str = "f32",
):
    """Write tensors (reference names) with the config as metadata; dtype f32 or f16."""
    _check_kind(puzzle_kind)
    if dtype not in ("f32", "f16"):
        raise ValueError(f"dtype must be f32 or f16, not {dtype!r}")
    torch_dtype = torch.float16 if dtype == "f16" else torch.float32
    tensors = {k: v.detach().to("cpu", torch_dtype).contiguous() for k, v in state.items()}
    meta = {
        "format": FORMAT,
        "config": json.dumps(cfg.to_json_dict()),
        "puzzle_kind": puzzle_kind,
    }
    if puzzle_rows is not None:
        if len(puzzle_rows) != cfg.num_puzzle_identifiers:
            raise ValueError(f"{len(puzzle_rows)} row names for {cfg.num_puzzle_identifiers} puzzle rows")
        meta["puzzle_rows"] = json.dumps(list(puzzle_rows))
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(path), metadata=meta)


def export_model(model: TRM, path, puzzle_kind: str, puzzle_rows=None, dtype: str = "f32"):
    save_model_file(path, model.cfg, model.state_dict(), puzzle_kind, puzzle_rows, dtype)


def load_model_file(path, device="cpu"):
    """Returns (model in f32, puzzle_kind, puzzle_rows or None)."""
    with safe_open(str(path), framework="pt", device=str(device)) as f:
        meta = f.metadata() or {}
        if meta.get("format") != FORMAT:
            raise ValueError(f"{path}: not a trm-web model file (metadata format {meta.get('format')!r})")
        cfg = TRMConfig.from_dict(json.loads(meta["config"]))
        # latent_basis.* is the demo's colour projection of y and z (`trm latent-basis`), not a
        # weight of the network.
        state = {k: f.get_tensor(k).float() for k in f.keys() if not k.startswith("latent_basis.")}
    model = TRM(cfg).to(device)
    model.load_state_dict(state, strict=True)
    rows = json.loads(meta["puzzle_rows"]) if "puzzle_rows" in meta else None
    return model, meta["puzzle_kind"], rows


def _read_arch(config_yaml) -> dict:
    import yaml

    with open(config_yaml) as fh:
        run = yaml.safe_load(fh)
    if "arch" not in run:
        raise ValueError(f"{config_yaml}: no `arch` section")
    return run["arch"]


def select_rows(
    n_rows: int,
    identifiers: Optional[Sequence[str]] = None,
    keep_rows: Optional[Iterable[int]] = None,
    keep_tasks: Optional[Iterable[str]] = None,
) -> list[int]:
    """Rows of the puzzle table to keep. Row 0 (the reference's blank identifier) is always
    kept so that id 0 still means "no puzzle". Tasks match identifier names equal to the
    task id or starting with it followed by a separator the reference uses (`|||` or `_`)."""
    rows = {0} if n_rows else set()
    for r in keep_rows or ():
        if not 0 <= r < n_rows:
            raise ValueError(f"row {r} is outside the puzzle table (0..{n_rows - 1})")
        rows.add(r)
    tasks = list(keep_tasks or ())
    if tasks:
        if identifiers is None:
            raise ValueError("keeping tasks by name needs the reference dataset's identifier list")
        found = {t: 0 for t in tasks}
        for i, name in enumerate(identifiers):
            for t in tasks:
                if name == t or name.startswith(t + "|||") or name.startswith(t + "_"):
                    rows.add(i)
                    found[t] += 1
        missing = [t for t, c in found.items() if c == 0]
        if missing:
            raise ValueError(f"no puzzle-table rows for tasks {missing}")
    return sorted(rows)


def convert_reference(
    checkpoint,
    all_config_yaml,
    out,
    puzzle_kind: str,
    seq_len: Optional[int] = None,
    identifiers: Optional[Sequence[str]] = None,
    keep_rows: Optional[Iterable[int]] = None,
    keep_tasks: Optional[Iterable[str]] = None,
    dtype: str = "f32",
) -> TRMConfig:
    """Convert a reference checkpoint to our model file. With keep_rows/keep_tasks only
    those rows of the puzzle table are kept (in their original order), and the row names
    (from `identifiers`, or `row<i>`) go into the file so ids can be mapped back."""
    _check_kind(puzzle_kind)
    raw = torch.load(str(checkpoint), map_location="cpu", weights_only=True)
    state = {}
    for k, v in raw.items():
        if not k.startswith(REFERENCE_PREFIX):
            raise ValueError(f"{checkpoint}: key {k!r} lacks the reference prefix {REFERENCE_PREFIX!r}")
        state[k[len(REFERENCE_PREFIX):]] = v.float()
    arch = _read_arch(all_config_yaml)

    vocab, D = state["embed_tokens.embedding_weight"].shape
    P = int(arch.get("puzzle_emb_ndim", 0))
    K_cfg = int(arch.get("puzzle_emb_len", 0))
    K = 0 if P == 0 else (K_cfg if K_cfg else -(P // -D))
    mlp_t = bool(arch.get("mlp_t", False))
    if mlp_t:
        inferred = state["L_level.layers.0.mlp_t.down_proj.weight"].shape[0] - K
        if seq_len is not None and seq_len != inferred:
            raise ValueError(f"seq_len {seq_len} disagrees with the checkpoint's token-mixing width ({inferred})")
        seq_len = inferred
    elif "embed_pos.embedding_weight" in state:
        seq_len = state["embed_pos.embedding_weight"].shape[0] - K
    elif seq_len is None:
        seq_len = DEFAULT_SEQ_LEN[puzzle_kind]

    rows_names = None
    if P > 0:
        table = state["puzzle_emb.weights"]
        n = table.shape[0]
        if identifiers is not None and len(identifiers) != n:
            raise ValueError(f"{len(identifiers)} identifiers for a puzzle table of {n} rows")
        if keep_rows is not None or keep_tasks is not None:
            rows = select_rows(n, identifiers, keep_rows, keep_tasks)
            state["puzzle_emb.weights"] = table[rows].clone()
        else:
            rows = list(range(n))
        names = identifiers if identifiers is not None else [f"row{i}" for i in range(n)]
        rows_names = [names[r] for r in rows]

    cfg = TRMConfig(
        vocab_size=int(vocab),
        seq_len=int(seq_len),
        hidden_size=int(D),
        num_heads=int(arch.get("num_heads", 8)),
        expansion=float(arch.get("expansion", 4)),
        L_layers=int(arch.get("L_layers", 2)),
        H_cycles=int(arch["H_cycles"]),
        L_cycles=int(arch["L_cycles"]),
        halt_max_steps=int(arch.get("halt_max_steps", 16)),
        pos_encodings=str(arch.get("pos_encodings", "rope")),
        mlp_t=mlp_t,
        puzzle_emb_ndim=P,
        puzzle_emb_len=K,
        num_puzzle_identifiers=int(state["puzzle_emb.weights"].shape[0]) if P > 0 else 1,
        rms_norm_eps=float(arch.get("rms_norm_eps", 1e-5)),
        rope_theta=float(arch.get("rope_theta", 10000.0)),
    )
    # Loading into our model checks every name and shape against the config.
    model = TRM(cfg)
    model.load_state_dict(state, strict=True)
    save_model_file(out, cfg, model.state_dict(), puzzle_kind, rows_names, dtype)
    return cfg
