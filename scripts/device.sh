#!/usr/bin/env bash
# The prepared call for a lent GPU window (issue #40): in one call, first the real-GPU benchmark
# of our WebGPU engine (native wgpu on Vulkan) against PyTorch on the same GPU and our CPU
# engine on that machine's cores, then Sudoku training for the minutes left
# (scripts/device-train.sh run), and the results brought home. The lent machine reaches no
# registry and cannot build the crate, so the native `trm` and the Vulkan loader travel.
#
#   scripts/device.sh prepare         here: builds `trm` (release), puts it (xz) and the Vulkan
#                                     loader's .deb into .device/, then runs
#                                     `scripts/device-train.sh prepare` (INIT=... as it takes);
#                                     prints what will travel. BASE=REV (a commit) also
#                                     builds that revision's `trm` (.device/trm-base.xz,
#                                     2.4 MB more) for the benchmark to run beside this one:
#                                     a kernel change measured on the same GPU in one call
#   scripts/device.sh run [MINUTES]   there (cwd = repo, $OUT set): the benchmark (with the
#                                     matmul tiles in TILES beside the engine's own), time-boxed
#                                     to BENCH_SECONDS (default 170), then MINUTES of training
#                                     (default 5; 0 skips it) with device-train.sh's settings
#                                     (TRAIN_ARGS, CONTINUE, ...); $OUT gets bench.tar and what
#                                     device-train.sh returns
#   scripts/device.sh fetch DIR       here: DIR = the returned files; the benchmark's logs to
#                                     target/device/bench/ with a table of its figures printed
#                                     (for BENCHMARKS.md), then device-train.sh fetch DIR when
#                                     training came back
#   scripts/device.sh table LOG       the table of a bench.log's figures (fetch prints it)
#   scripts/device.sh plan            the benchmark's entries as `label|command`, most wanted
#                                     first, with what `prepare` left in .device/ (DEVICE=cpu:
#                                     the rehearsal's)
#   scripts/device.sh rehearse        here, no GPU: the whole call on the CPU (DEVICE=cpu:
#                                     lavapipe for the GPU part, PyTorch on the CPU, tiny
#                                     batches, a minute of training), then fetch, then a check
#                                     that every file fetch reads is there
#
# The call, when `status` says a machine can be started: `scripts/device.sh prepare` (a few
# minutes here, no device time; with BASE= the revision before the kernel change BENCHMARKS.md
# says waits to be measured on a GPU, and without it if the tool refuses the tree's size), then
# the device tool's run with command
# `CONTINUE=train/checkpoints/sudoku-cpu-T3n3 TRAIN_ARGS='--set eval_puzzles=200 --set threads=4'
# bash scripts/device.sh run 5`, carry [".device"], timeout_s 570 (the paper's model trains
# from scratch beside the shipped model's run resumed; see device-train.sh for INIT, which
# starts the paper's model from earlier weights but adds 10 MB to what travels, near the
# limit); then `scripts/device.sh fetch <files_at>`. What each call measured goes to
# BENCHMARKS.md and the model card, not here.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/device-lib.sh
BIG_POOL=pool_minimal_100000_seed0.csv

# The benchmark, most wanted first: each line is `label|command`; a line that does not fit in
# what is left of BENCH_SECONDS is skipped and said so. $TRM is the carried binary, $TORCH_DEVICE
# cuda there (cpu in a rehearsal), $EXTREME the held-out Extreme puzzles' evaluator flags. Our
# GPU entries also print each op's GPU time over two more steps (`--profile`, timestamp
# queries): where the time goes, op by op and size by size, as GFLOP/s and GB/s, for the kernel
# work the figures point to.
bench_plan() {
  local b
  for b in $BATCHES; do echo "ours-gpu shipped b=$b|$TRM bench --model models/sudoku.safetensors --backend gpu --batch $b --steps $STEPS --profile"; done
  # The revision before a kernel change (BASE at prepare) where it may differ most: one puzzle
  # (launch-bound) and the largest batch (throughput-bound) of the shipped model, one puzzle of
  # the D=512 model (the widest rows) and one of the paper's and the shipped attention models
  # (the attention kernel at head dims 64 and 16).
  if [ -n "$TRM_BASE" ]; then
    for b in ${BATCHES%% *} ${BATCHES##* }; do echo "base-gpu shipped b=$b|$TRM_BASE bench --model models/sudoku.safetensors --backend gpu --batch $b --steps $STEPS --profile"; done
    echo "base-gpu d512 b=${BATCHES%% *}|$TRM_BASE bench --random sudoku --backend gpu --batch ${BATCHES%% *} --steps $STEPS --profile"
    echo "base-gpu arc512 b=1|$TRM_BASE bench --random arc --backend gpu --batch 1 --steps $STEPS --profile"
    echo "base-gpu arc b=1|$TRM_BASE bench --model models/arc.safetensors --backend gpu --batch 1 --steps $STEPS --profile"
  fi
  # The same build with the blocks of its products strided, as before 2026-12-08 (the engine's
  # own read them as vec4s): that one change alone, where the base build runs.
  for b in ${BATCHES%% *} ${BATCHES##* }; do echo "strided-gpu shipped b=$b|$TRM bench --model models/sudoku.safetensors --backend gpu --batch $b --steps $STEPS --tile 64x64x16 --profile"; done
  for b in $BATCHES; do echo "torch-$TORCH_DEVICE shipped b=$b|python3 train/bench_torch.py --model models/sudoku.safetensors --device $TORCH_DEVICE --batch $b --steps $STEPS --threads $THREADS"; done
  for b in $BATCHES; do echo "ours-gpu d512 b=$b|$TRM bench --random sudoku --backend gpu --batch $b --steps $STEPS --profile"; done
  for b in $BATCHES; do echo "torch-$TORCH_DEVICE d512 b=$b|python3 train/bench_torch.py --random sudoku --device $TORCH_DEVICE --batch $b --steps $STEPS --threads $THREADS"; done
  # The paper's attention model (ARC's TRM-Att: S=916, D=512, 8 heads), one puzzle: the only
  # entry where the attention kernel runs (every shipped model but the 30x30 ones is mlp_t).
  echo "ours-gpu arc512 b=1|$TRM bench --random arc --backend gpu --batch 1 --steps $STEPS --profile"
  echo "torch-$TORCH_DEVICE arc512 b=1|python3 train/bench_torch.py --random arc --device $TORCH_DEVICE --batch 1 --steps $STEPS --threads $THREADS"
  # The shipped 30x30 ARC model (heads of 16 dims: 32 keys a tile), as the page's ARC view runs it.
  echo "ours-gpu arc b=1|$TRM bench --model models/arc.safetensors --backend gpu --batch 1 --steps $STEPS --profile"
  echo "torch-$TORCH_DEVICE arc b=1|python3 train/bench_torch.py --model models/arc.safetensors --device $TORCH_DEVICE --batch 1 --steps $STEPS --threads $THREADS"
  # Other matmul tiles within WebGPU's default limits (what a browser gives), one puzzle and the
  # largest batch: for the tiling the figures point to (the engine's own is 64x64x16v4, blocks
  # read as vec4s); profiled, so that each product's size can be given the tile that runs it
  # fastest. At one puzzle a normed product's few workgroups each walk (N / TN) x (K / TK) tile
  # steps in a row, a load and two barriers each: 32x128x16 and 32x64x32 take half as many.
  for t in $TILES; do
    for b in ${BATCHES%% *} ${BATCHES##* }; do echo "tile-$t shipped b=$b|$TRM bench --model models/sudoku.safetensors --backend gpu --batch $b --steps $STEPS --tile $t --profile"; done
  done
  # Per puzzle, thinking harder: copies of each puzzle in one batch on the GPU (8 x 32 and 32 x 16
  # as the page and the model card run them, 256 x 16 as a GPU can).
  echo "ours-gpu think 8x32|$TRM eval $EXTREME --copies 8 --steps 32 --stop-when-verified --restart-after 8 --batch $((1024 / 8)) --backend gpu"
  echo "ours-gpu think 32x16|$TRM eval $EXTREME --copies 32 --steps 16 --stop-when-verified --restart-after 8 --batch $((1024 / 32)) --backend gpu"
  echo "ours-gpu think 256x16|$TRM eval $EXTREME --copies 256 --steps 16 --stop-when-verified --restart-after 8 --batch $((1024 / 256)) --backend gpu"
  # Our CPU engine runs one thread per engine: one puzzle and a batch, for the per-core rate.
  echo "ours-cpu shipped b=1|$TRM bench --model models/sudoku.safetensors --backend cpu --batch 1 --steps $STEPS"
  echo "ours-cpu shipped b=16|$TRM bench --model models/sudoku.safetensors --backend cpu --batch 16 --steps $STEPS"
  # torch.compile last: its first call compiles for a minute or more.
  echo "torch-$TORCH_DEVICE-compile shipped b=256|python3 train/bench_torch.py --model models/sudoku.safetensors --device $TORCH_DEVICE --batch 256 --steps $STEPS --threads $THREADS --compile"
}

# Runs the plan into $1/bench.log: a `### label: command` line, the command's output, and a
# `--- exit N, S s` line per entry.
run_bench() {
  local log=$1/bench.log start=$SECONDS line label cmd left t0 rc
  : > "$log"
  while IFS= read -r line; do
    label=${line%%|*}
    cmd=${line#*|}
    left=$((BENCH_SECONDS - (SECONDS - start)))
    echo "### $label: $cmd" >> "$log"
    if [ "$left" -lt 5 ]; then
      echo "--- skipped: the benchmark's $BENCH_SECONDS s were spent" >> "$log"
      continue
    fi
    t0=$SECONDS
    rc=0
    # One entry may take what is left, at most ONE_SECONDS: a slow one cannot eat the training.
    timeout "$(( left < ONE_SECONDS ? left : ONE_SECONDS ))" bash -c "$cmd" >> "$log" 2>&1 || rc=$?
    echo "--- exit $rc, $((SECONDS - t0)) s" >> "$log"
    echo "[bench] $label: exit $rc after $((SECONDS - t0)) s"
  done < <(bench_plan)
}

# The figures of a bench.log as a Markdown table: label, engine, seconds per step, puzzles per
# second, and for profiled runs the ops' GPU time per step; for the think-harder lines the
# evaluator's solved share and puzzles per second.
bench_table() {
  python3 - "$1" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
print("| run | engine | s per step | puzzles/s | solved | exit, wall | GPU busy, ms per step |")
print("|---|---|---:|---:|---:|---|---:|")
for part in text.split("### ")[1:]:
    head, _, body = part.partition("\n")
    label = head.split(": ", 1)[0]
    find = lambda pat: (re.search(pat, body, re.M) or [None, ""])[1]
    engine = find(r"^engine: (.*)$") or find(r"^torch (.*)$") or find(r"^backend: (.*)$")
    per = find(r"^seconds per supervision step: ([\d.]+)")
    rate = find(r"^puzzles per second \(one step each\): ([\d.]+)") or find(r"^puzzles/s: ([\d.]+)")
    solved = find(r"^exact accuracy[^:]*: ([\d.]+%)") or find(r"solved[^:\n]*: ([\d.]+%)")
    end = find(r"^--- (.*)$")
    # The profile's sum of the ops' GPU time: the rest of a step's wall time is the host's.
    busy = find(r"^GPU busy per supervision step: ([\d.]+) ms")
    print(f"| {label} | {engine} | {per} | {rate} | {solved} | {end} | {busy} |")
EOF
}

# The benchmark's settings for DEVICE (cuda there, cpu in a rehearsal: lavapipe is the GPU,
# PyTorch runs on the CPU, everything small), where the binaries will be, and the held-out
# Extreme puzzles' evaluator flags; exported for the plan's commands.
settings() {
  if [ "${DEVICE:-cuda}" = cpu ]; then
    TORCH_DEVICE=cpu
    # Each entry is cut at 25 s, so that every one is reached (D=512 on lavapipe takes a minute a step).
    : "${BATCHES:=1 2}" "${STEPS:=1}" "${THREADS:=1}" "${BENCH_SECONDS:=480}" "${ONE_SECONDS:=25}" "${LIMIT:=2}" "${TILES:=32x32x16v4}"
  else
    TORCH_DEVICE=cuda
    : "${BATCHES:=1 16 256 1024}" "${STEPS:=4}" "${THREADS:=16}" "${BENCH_SECONDS:=170}" "${ONE_SECONDS:=60}" "${LIMIT:=50}"
    : "${TILES:=32x32x16v4 16x64x16v4 32x128x16v4 32x64x32v4 64x64x8v4}"
  fi
  TRM=/tmp/trm-device
  TRM_BASE=
  [ ! -f .device/trm-base.xz ] || TRM_BASE=/tmp/trm-device-base
  # The evaluator reads the generated pools only for training; the held-out Extreme file is in data/.
  EXTREME="--model models/sudoku.safetensors --puzzles data/sudoku/sudoku_extreme_train_subsample.txt --solutions data/sudoku/solutions/sudoku_extreme_train_subsample.txt --skip 776 --limit $LIMIT"
  export TRM TRM_BASE TORCH_DEVICE BATCHES STEPS THREADS BENCH_SECONDS ONE_SECONDS TILES EXTREME
}

case "${1:-}" in
prepare)
  grep -qx '/.device/' .git/info/exclude 2>/dev/null || { mkdir -p .git/info; echo '/.device/' >> .git/info/exclude; }
  cargo build --release --quiet --bin trm
  # The 100,000-puzzle pool (5.5 MB packed) is made there instead, by the carried `trm`, while
  # the benchmark runs: the tree alone is most of the 64 MiB. This makes .device/ afresh.
  MADE_THERE=$BIG_POOL bash scripts/device-train.sh prepare
  if [ -n "${BASE:-}" ]; then
    # The other revision builds in a worktree into the same target directory (only our crate
    # recompiles); this revision's `trm` is then built again over it.
    base_src=$(mktemp -d)/src
    git worktree add --detach "$base_src" "$BASE"
    CARGO_TARGET_DIR="$PWD/target" cargo build --release --quiet --bin trm --manifest-path "$base_src/Cargo.toml"
    pack target/release/trm .device/trm-base.xz
    git worktree remove --force "$base_src"
    cargo build --release --quiet --bin trm
  fi
  mkdir -p .device/gl
  pack target/release/trm .device/trm.xz
  # wgpu opens libvulkan.so.1 at run time; the GPU image has the NVIDIA driver's ICD but no
  # loader (the device tool's README). amd64 packages whatever this machine is.
  o=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/device-apt-lists)
  mkdir -p /tmp/device-apt-lists/partial
  apt-get "${o[@]}" update -qq >/dev/null
  (cd .device/gl && apt-get "${o[@]}" download -qq libvulkan1)
  travel_size
  ;;
run)
  minutes=${2:-5}
  : "${OUT:?run this on the device machine, where OUT is set}"
  export PYTHONUNBUFFERED=1
  # The Vulkan loader looks for a session directory and says so on every call without one.
  export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp/xdg-runtime-$(id -u)}
  mkdir -p -m 700 "$XDG_RUNTIME_DIR"
  side=$(mktemp -d)
  settings
  if [ "$TORCH_DEVICE" = cuda ]; then
    for f in .device/gl/*.deb; do dpkg -x "$f" /; done
    ldconfig
    icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
    [ -e "$icd" ] && export VK_DRIVER_FILES=$icd
  fi
  # The binaries that travelled, in a rehearsal too.
  unpack .device/trm.xz "$TRM"
  chmod +x "$TRM"
  if [ -n "$TRM_BASE" ]; then
    unpack .device/trm-base.xz "$TRM_BASE"
    chmod +x "$TRM_BASE"
  fi
  # The training pool that did not travel, made on the CPU beside the benchmark (a minute).
  gen=
  if [ ! -f "train/data/$BIG_POOL" ] && [ ! -f ".device/data/$BIG_POOL.xz" ]; then
    TRM_BIN=$TRM PYTHONPATH=train python3 -c "
from pathlib import Path; from trm.sudoku_data import generate_pool
generate_pool(Path('train/data/$BIG_POOL'), 100_000, 0, 'minimal')" &
    gen=$!
  fi
  {
    date -u +%FT%TZ
    nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv 2>&1 || echo "no nvidia-smi"
    # The adapter wgpu opens (awk reads to the end: a reader that stops early fails the pipe).
    { "$TRM" bench --model models/sudoku.safetensors --backend gpu --batch 1 --steps 1 2>&1 || true; } | awk '/^engine:/'
    python3 -c "import torch; print('torch', torch.__version__, 'cuda', torch.version.cuda, torch.cuda.get_device_name(0) if torch.cuda.is_available() else 'no CUDA device')" 2>&1
    nproc
  } > "$side/machine.txt"
  run_bench "$side"
  bench_table "$side/bench.log" > "$side/table.md"
  cat "$side/table.md"
  tar -C "$side" -cf "$OUT/bench.tar" .
  [ -z "$gen" ] || wait "$gen" || echo "the training pool could not be made"
  if [ "$minutes" != 0 ]; then
    bash scripts/device-train.sh run "$minutes" || echo "training failed: the benchmark came back all the same"
  fi
  ls -la "$OUT"
  ;;
fetch)
  src=${2:?usage: scripts/device.sh fetch DIR}
  dest=${DEST:-target/device/bench}
  rm -rf "$dest" && mkdir -p "$dest"
  tar -C "$dest" -xf "$src/bench.tar"
  cat "$dest/machine.txt"
  echo
  cat "$dest/table.md"
  echo "(logs: $dest/bench.log)"
  if [ -f "$src/side.tar" ]; then bash scripts/device-train.sh fetch "$src"; fi
  ;;
table)
  bench_table "${2:?usage: scripts/device.sh table BENCH_LOG}" ;;
plan)
  settings
  bench_plan ;;
rehearse)
  work=$(mktemp -d)
  bash "$0" prepare
  mkdir -p "$work/out"
  # device-train.sh's own rehearsal settings: tiny batches, a short evaluation.
  DEVICE=cpu OUT="$work/out" RUN="$work/run" \
    TRAIN_ARGS="--set batch_size=8 --set eval_every=20 --set eval_puzzles=8 --set threads=1 ${REHEARSE_TRAIN_ARGS:-}" \
    EVAL_ARGS='--limit 4' \
    bash "$0" run "${REHEARSE_MINUTES:-1}"
  RUNS="$work/runs" DEST="$work/bench" bash "$0" fetch "$work/out"
  # Every file fetch reads came back, and the benchmark's table has a row per planned entry.
  for f in bench.tar d512.safetensors side.tar; do [ -s "$work/out/$f" ] || { echo "missing: $f"; exit 1; }; done
  for f in machine.txt bench.log table.md; do [ -s "$work/bench/$f" ] || { echo "missing: bench.tar's $f"; exit 1; }; done
  for f in model.safetensors log.jsonl eval-d512.txt machine.txt; do [ -s "$work/runs/sudoku-gpu/$f" ] || { echo "missing: sudoku-gpu/$f"; exit 1; }; done
  planned=$(DEVICE=cpu bash "$0" plan | wc -l)
  rows=$(grep -c '^| [a-z]' "$work/bench/table.md")  # the header's "| run" counts too
  [ "$rows" -eq $((planned + 1)) ] || { echo "table.md has $rows rows for $planned planned entries"; exit 1; }
  echo "rehearsal: every file fetch reads came back ($work/out)"
  ;;
*)
  sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 2 ;;
esac
