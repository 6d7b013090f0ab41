#!/usr/bin/env bash
# The history stays small enough to clone (a clone was 538 MB, nearly all training
# checkpoints): from the commit named below on, every commit that does not ship a model
# (change a models/*.safetensors) may add no PyTorch checkpoint (.pt) and at most 1 MiB of new
# file contents. A shipped model's commit carries its run's resumable checkpoint
# (scripts/ship-model.sh stages it). Run by scripts/test.sh; in a clone without that commit
# (a shallow one) it checks the commits it has.
set -euo pipefail
cd "$(dirname "$0")/.."
RULE_FROM=201b4b9fda59d6f808c8f41449bdb026f532a56e
LIMIT=$((1 << 20))
if ! git rev-parse --git-dir >/dev/null 2>&1; then
  echo "check-history: not a git checkout, nothing to check"
  exit 0
fi
if git cat-file -e "$RULE_FROM^{commit}" 2>/dev/null; then range="$RULE_FROM..HEAD"; else range=HEAD; fi
bad=0
checked=0
for c in $(git rev-list "$range"); do
  checked=$((checked + 1))
  files=$(git diff-tree --root --no-commit-id --name-only -r "$c")
  grep -q '^models/.*\.safetensors$' <<<"$files" && continue
  if pts=$(grep '\.pt$' <<<"$files"); then
    echo "check-history: $(git log -1 --format='%h %s' "$c" | cut -c1-100)"
    echo "  commits a checkpoint without shipping a model: $pts"
    bad=1
  fi
  # Bytes of the blobs this commit adds or changes (deletions cost nothing).
  bytes=$(git diff-tree --root --no-commit-id -r "$c" | awk '$4 !~ /^0+$/ {print $4}' | git cat-file --batch-check='%(objectsize)' | awk '{s += $1} END {print s + 0}')
  if [ "$bytes" -gt "$LIMIT" ]; then
    echo "check-history: $(git log -1 --format='%h %s' "$c" | cut -c1-100)"
    echo "  adds $bytes bytes of file contents without shipping a model (at most $LIMIT)"
    bad=1
  fi
done
[ "$bad" = 0 ] || { echo "check-history: keep checkpoints and large files out of commits that ship no model (train/checkpoints/README.md)"; exit 1; }
echo "check-history: $checked commit(s) since the rule began, none adds a checkpoint or over 1 MiB without shipping a model"
