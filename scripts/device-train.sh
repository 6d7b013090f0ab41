#!/usr/bin/env bash
# Time-boxed Sudoku training on a lent GPU machine, where package registries are out of
# reach and at most 64 MiB travel each way (files back: 16 MiB each, 8 at most). One call
# trains, side by side on the one GPU:
#   - the paper's model (`--preset gpu-short`: the paper's architecture with a schedule for
#     minutes; PRESET=gpu for the paper's own), from scratch or, when `prepare` was given
#     INIT=FILE, from the weights of an earlier call (fresh optimizer, no curriculum), and
#   - with CONTINUE=RUN_FOLDER, a tracked CPU run (checkpoint.pt) resumed with a GPU-sized
#     batch (CONTINUE_BATCH, default 1024 slots), so the minutes also extend the main line.
#
#   scripts/device-train.sh prepare              here: .device/ gets the generated pools the
#                                                runs read (data/ travels with the tree);
#                                                INIT=FILE or INIT=REV:PATH (a model file in
#                                                git history) also puts the weights to
#                                                start from there (10 MB for D=512 in f16)
#   scripts/device-train.sh run [MINUTES]        there (cwd = repo, $OUT set): train MINUTES
#                                                (default 8), evaluate on the held-out sets
#                                                there (Extreme at 64 steps, per step),
#                                                put what comes back under $OUT
#   scripts/device-train.sh fetch DIR            here: DIR = the returned files; the paper
#                                                model to train/runs/sudoku-gpu/, the resumed
#                                                run to train/runs/sudoku-gpu-continued/
#                                                (RUNS=FOLDER for another place than train/runs)
#
# scripts/device.sh runs this script's `run` after its GPU benchmark, in the same call, and its
# `fetch` from its own; its header has the call to make. What comes back: d512.safetensors (the
# paper model's EMA weights in f16: its whole checkpoint, about 58 MiB packed, would not fit
# beside the tree), with CONTINUE continued.part00.. (the resumed run's checkpoint, optimizer
# moments in bf16, the first 64 slots, train/transport.py), and side.tar (logs, configs,
# evaluations, the GPU's name). The tree and .device must stay under 64 MiB by the device tool's
# count, which has read more than `prepare` prints (BENCHMARKS.md, "Training on a lent GPU").
# For a rehearsal on a CPU: DEVICE=cpu RUN=/tmp/r OUT=/tmp/o TRAIN_ARGS='--set batch_size=8 ...'
# CONTINUE_ARGS='...' EVAL_ARGS='--limit 20' (no spaces inside one argument).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/device-lib.sh
files="pool_minimal_100000_seed0.csv validation_minimal_500_seed987654.csv validation_hard20_200_seed987655.csv
pool_hard20_5000_seed1.csv"
heldout() {  # model, name, puzzles file, extra evaluator flags
  echo "### $2"
  python3 -m trm.evaluate --model "$1" --puzzles "$data/$3" --solutions "$data/solutions/$3" --batch 1000 \
    --device "$device" "${@:4}" ${EVAL_ARGS:-}
  echo
}
evaluate_all() {  # model file. 64 steps where thinking longer is in question (the per-step line
  # gives 16 too); 16 on the easier sets, where a D=512 model's 64 steps would cost a minute.
  heldout "$1" "sudoku_extreme_train_subsample (held-out lines 777-976)" sudoku_extreme_train_subsample.txt \
    --skip 776 --steps 64
  heldout "$1" "tdoku_unbiased_first1000 (all 1000)" tdoku_unbiased_first1000.txt --steps 16
  heldout "$1" "tdoku_17_clue_sample10k (held-out lines 9001-10000)" tdoku_17_clue_sample10k.txt --skip 9000 --steps 16
}
progress() {  # label: one line in 20 of a run's output, and every evaluation and error, labelled
  awk -v p="[$1] " '{print p $0; fflush()}' | awk 'NR % 20 == 1 || /eval|rror|resumed|new run|failed/'
}
train_or_fall_back() {  # run folder, minutes, options: torch.compile has not run on this GPU's
  # software before, so if the compiled run fails, the time left goes to an eager one (which
  # resumes from the last checkpoint, or starts again if none was written yet).
  local folder=$1 minutes=$2 start=$SECONDS
  shift 2
  python3 train/train_sudoku.py --run "$folder" --device "$device" --minutes "$minutes" "$@" && return
  local left
  left=$(python3 -c "print(round(($minutes * 60 - ($SECONDS - $start)) / 60, 2))")
  echo "the run failed; eager for the $left minutes left"
  python3 -c "import sys; sys.exit(float(sys.argv[1]) < 1)" "$left" || return 0
  python3 train/train_sudoku.py --run "$folder" --device "$device" --minutes "$left" "$@" --set compile=false
}

case "${1:-}" in
prepare)
  grep -qx '/.device/' .git/info/exclude 2>/dev/null || echo '/.device/' >> .git/info/exclude
  rm -rf .device && mkdir -p .device/data
  # The generated pools come from the Rust generator, which the GPU machine cannot build.
  PYTHONPATH=train python3 -c "
from pathlib import Path
from trm.sudoku_data import generate_pool
generate_pool(Path('train/data/pool_minimal_100000_seed0.csv'), 100_000, 0, 'minimal')
generate_pool(Path('train/data/validation_minimal_500_seed987654.csv'), 500, 987654, 'minimal')
generate_pool(Path('train/data/validation_hard20_200_seed987655.csv'), 200, 987655, 'minimal', min_guesses=20)
generate_pool(Path('train/data/pool_hard20_5000_seed1.csv'), 5000, 1, 'minimal', min_guesses=20)"
  if [ -n "${INIT:-}" ]; then
    if [ -f "$INIT" ]; then cp "$INIT" .device/init.safetensors; else git show "$INIT" > .device/init.safetensors; fi
    # Refuse here, not on the lent machine, a file that is not a model this preset can start from.
    PYTHONPATH=train python3 -c "
import sys; from trm.train import PRESETS, TrainConfig, Trainer
cfg = TrainConfig.from_dict({**PRESETS[sys.argv[2]], 'init_from': sys.argv[1], 'compile': False})
Trainer(cfg, '/tmp/device-train-init-check', stream=None)
print('init weights', sys.argv[1], 'fit the preset', sys.argv[2])" .device/init.safetensors "${PRESET:-gpu-short}"
  fi
  # xz: the 100,000-puzzle pool is 16.4 MB as text and 5.5 MB packed. MADE_THERE names pools
  # that do not travel (scripts/device.sh makes them on the lent machine).
  for f in $files; do
    case " ${MADE_THERE:-} " in *" $f "*) continue ;; esac
    pack "train/data/$f" ".device/data/$f.xz"
  done
  travel_size
  ;;
run)
  minutes=${2:-8}
  : "${OUT:?run this on the device machine, where OUT is set}"
  export PYTHONUNBUFFERED=1
  mkdir -p train/data
  # A pool that did not travel (MADE_THERE) is made there, into train/data.
  for f in $files; do
    if [ -f ".device/data/$f.xz" ]; then unpack ".device/data/$f.xz" "train/data/$f"; fi
  done
  device=${DEVICE:-cuda}
  side=$(mktemp -d)
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > "$side/machine.txt" 2>&1 || true
  run=$(realpath -m "${RUN:-train/runs/sudoku-gpu}")
  read -ra extra <<< "${TRAIN_ARGS:-}"
  if [ -f .device/init.safetensors ]; then
    # Later options win: TRAIN_ARGS may still set a curriculum.
    extra=(--set "init_from=$(realpath .device/init.safetensors)" --set curriculum_reveal=0 "${extra[@]}")
  fi
  train_or_fall_back "$run" "$minutes" --preset "${PRESET:-gpu-short}" "${extra[@]}" 2>&1 | progress d512 &
  if [ -n "${CONTINUE:-}" ]; then
    cont=$(realpath -m "${RUN:-train/runs/sudoku-gpu}-continued")
    mkdir -p "$cont" && cp "$CONTINUE"/checkpoint.pt "$CONTINUE"/train_config.json "$CONTINUE"/log.jsonl "$cont"/
    read -ra cextra <<< "${CONTINUE_ARGS:---set batch_size=${CONTINUE_BATCH:-1024} --set threads=4 --set eval_every=1000}"
    train_or_fall_back "$cont" "$minutes" "${cextra[@]}" 2>&1 | progress cont &
  fi
  wait
  data=$PWD/data/sudoku
  cd train
  # One run's failure must not cost the other its results: each phase goes on regardless.
  evaluate_all "$run/model.safetensors" 2>&1 | tee "$side/eval-d512.txt" || true
  [ -z "${CONTINUE:-}" ] || evaluate_all "$cont/model.safetensors" 2>&1 | tee "$side/eval-continued.txt" || true
  # The f16 copy of the paper model's EMA weights: the f32 file (20 MB) is over a part's size.
  python3 -c "
import sys; from trm.modelfile import export_model, load_model_file
m, kind, rows = load_model_file(sys.argv[1])
export_model(m, sys.argv[2], kind, rows, dtype='f16')" "$run/model.safetensors" "$OUT/d512.safetensors" || true
  cd ..
  cp "$run/log.jsonl" "$side/d512-log.jsonl" || true
  cp "$run/train_config.json" "$side/d512-train_config.json" || true
  if [ -n "${CONTINUE:-}" ]; then
    mkdir -p "$side/continued"
    if python3 train/transport.py pack "$cont" "$side/continued" --keep-slots 64; then
      for f in "$side"/continued/checkpoint.part*; do mv "$f" "$OUT/continued.${f##*.}"; done
    fi
  fi
  tar -C "$side" -cf "$OUT/side.tar" .
  ls -la "$OUT"
  ;;
fetch)
  src=${2:?usage: scripts/device-train.sh fetch DIR}
  runs=${RUNS:-train/runs}  # a rehearsal fetches elsewhere
  tmp=$(mktemp -d)
  tar -C "$tmp" -xf "$src/side.tar"
  mkdir -p "$runs"/sudoku-gpu
  cp "$src/d512.safetensors" "$runs"/sudoku-gpu/model.safetensors
  cp "$tmp"/d512-log.jsonl "$runs"/sudoku-gpu/log.jsonl
  cp "$tmp"/d512-train_config.json "$runs"/sudoku-gpu/train_config.json
  cp "$tmp"/eval-d512.txt "$tmp"/machine.txt "$runs"/sudoku-gpu/
  if [ -d "$tmp/continued" ]; then
    cont="$runs"/sudoku-gpu-continued
    for f in "$src"/continued.part*; do cp "$f" "$tmp/continued/checkpoint.${f##*.}"; done
    python3 train/transport.py unpack "$tmp/continued" "$cont"
    cp "$tmp"/eval-continued.txt "$cont"/
    # Resuming at the step it holds trains nothing and exports the EMA weights; on this
    # machine's CPU, in the batch it left with.
    step=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['step'])" "$tmp/continued/transport.json")
    python3 train/train_sudoku.py --run "$cont" --steps "$step"
    ls -la "$cont/model.safetensors"
  fi
  ls -la "$runs"/sudoku-gpu
  ;;
*)
  sed -n 2,30p "$0"; exit 2 ;;
esac
