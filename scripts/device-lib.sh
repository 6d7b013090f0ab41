# What scripts/device.sh and scripts/device-train.sh both do with the files that travel to a lent
# GPU machine (sourced, not run). xz through Python's lzma: the GPU image's python3 has it, which
# is all either end is sure to have.

# pack SRC DST.xz / unpack SRC.xz DST
pack() {
  python3 -c "import lzma, shutil, sys
with open(sys.argv[1], 'rb') as i, lzma.open(sys.argv[2], 'wb') as o: shutil.copyfileobj(i, o)" "$1" "$2"
}
unpack() {
  python3 -c "import lzma, shutil, sys
with lzma.open(sys.argv[1], 'rb') as i, open(sys.argv[2], 'wb') as o: shutil.copyfileobj(i, o)" "$1" "$2"
}

# What a call sends by `du`: the tracked and untracked-not-ignored tree, and .device.
travel_size() {
  local tree extra
  tree=$( (git ls-files -z; git ls-files -z --others --exclude-standard) | xargs -0 du -cb | tail -1 | cut -f1)
  extra=$(du -cb .device | tail -1 | cut -f1)
  echo "tracked tree $tree + .device $extra = $((tree + extra)) bytes to travel; the call fails over $((64 << 20)) by the device tool's count, which has read higher than this one (BENCHMARKS.md, \"Training on a lent GPU\")"
}
