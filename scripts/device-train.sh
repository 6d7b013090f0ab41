#!/usr/bin/env bash
# A time-boxed Sudoku training run of the paper's model (`--preset gpu-short`: the paper's
# architecture with a schedule for minutes; PRESET=gpu for the paper's own) on a lent GPU
# machine, where package registries are out of reach and at most 64 MiB
# travel each way (files back: 16 MiB each, 8 at most).
#
#   scripts/device-train.sh prepare              here: .device/ gets the generated pools the
#                                                run reads (data/ travels with the tree)
#   scripts/device-train.sh run [MINUTES]        there (cwd = repo, $OUT set): train MINUTES
#                                                (default 8) from scratch, evaluate on the
#                                                held-out sets on the GPU, pack the checkpoint
#   scripts/device-train.sh fetch DIR            here: DIR = the returned files; unpacks the
#                                                run into train/runs/sudoku-gpu and exports
#                                                its model.safetensors
#
# The device call: command `bash scripts/device-train.sh run 8`, carry [".device"],
# timeout_s 600. What comes back: checkpoint.part00.. (optimizer moments in bf16, see
# train/transport.py), transport.json, log.jsonl, train_config.json, eval.txt.
# A second device session cannot carry the packed D=512 checkpoint back (about 58 MiB
# plus the tree and data is over 64 MiB), so each such run starts from scratch.
# For a rehearsal on a CPU: DEVICE=cpu RUN=/tmp/r OUT=/tmp/o TRAIN_ARGS='--set batch_size=8 ...'
# (no spaces inside one argument).
set -euo pipefail
cd "$(dirname "$0")/.."
pool=pool_minimal_100000_seed0.csv
valid=validation_minimal_500_seed987654.csv
heldout() {  # name, puzzles file, extra evaluator flags
  echo "### $1"
  python3 -m trm.evaluate --model "$model" --puzzles "$data/$2" --solutions "$data/solutions/$2" --batch 1000 \
    --device "$device" "${@:3}"
  echo
}

case "${1:-}" in
prepare)
  grep -qx '/.device/' .git/info/exclude 2>/dev/null || echo '/.device/' >> .git/info/exclude
  rm -rf .device && mkdir -p .device/data
  # The generated pools come from the Rust generator, which the GPU machine cannot build.
  PYTHONPATH=train python3 -c "
from pathlib import Path
from trm.sudoku_data import generate_pool
generate_pool(Path('train/data/$pool'), 100_000, 0, 'minimal')
generate_pool(Path('train/data/$valid'), 500, 987654, 'minimal')"
  cp "train/data/$pool" "train/data/$valid" .device/data/
  du -sh .device
  echo "tracked tree: $(git ls-files -z | xargs -0 du -cb | tail -1 | cut -f1) bytes (the call fails over 64 MiB with .device)"
  ;;
run)
  minutes=${2:-8}
  : "${OUT:?run this on the device machine, where OUT is set}"
  export PYTHONUNBUFFERED=1
  mkdir -p train/data && cp .device/data/* train/data/
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv > "$OUT/machine.txt" || true
  run=$(realpath -m "${RUN:-train/runs/sudoku-gpu}") device=${DEVICE:-cuda}
  read -ra extra <<< "${TRAIN_ARGS:-}"
  python3 train/train_sudoku.py --preset "${PRESET:-gpu-short}" --run "$run" --device "$device" --minutes "$minutes" "${extra[@]}" 2>&1 \
    | awk 'NR % 20 == 1 || /eval/'
  model=$run/model.safetensors data=$PWD/data/sudoku
  cd train
  {
    heldout "tdoku_unbiased_first1000 (all 1000)" tdoku_unbiased_first1000.txt
    heldout "sudoku_extreme_train_subsample (held-out lines 777-976)" sudoku_extreme_train_subsample.txt --skip 776
    heldout "tdoku_17_clue_sample10k (held-out lines 9001-10000)" tdoku_17_clue_sample10k.txt --skip 9000
  } | tee "$OUT/eval.txt"
  cd ..
  python3 train/transport.py pack "$run" "$OUT"
  ;;
fetch)
  src=${2:?usage: scripts/device-train.sh fetch DIR}
  run=${RUN:-train/runs/sudoku-gpu}
  python3 train/transport.py unpack "$src" "$run"
  cp "$src"/eval.txt "$src"/machine.txt "$run"/ 2>/dev/null || true
  # Resuming at the step it holds trains nothing and exports the EMA weights.
  step=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['step'])" "$src/transport.json")
  python3 train/train_sudoku.py --run "$run" --steps "$step"  # options from its train_config.json
  ls -la "$run/model.safetensors"
  ;;
*)
  sed -n 2,20p "$0"; exit 2 ;;
esac
