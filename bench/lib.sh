# SPDX-License-Identifier: MIT
# Helpers the bench scripts share (sourced). They write scratch files to $work.

# median / spread: of the numbers on stdin; spread is (max - min) / median, as a percentage.
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
spread() { sort -n | awk '{ v[NR] = $1 } END { printf "%.0f%%", 100 * (v[NR] - v[1]) / v[int((NR + 1) / 2)] }'; }

# callgrind_total <command...>: instructions the command executes under callgrind (an LD_PRELOAD
# set for the call applies to it).
callgrind_total() {
  valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" "$@" >/dev/null 2>"$work/vg.log"
  sed -n 's/^summary: //p' "$work/cg.out"
}

# per_unit <n> <command...>: instructions per unit of work, the command taking the number of units
# as its last argument: (run with 2n - run with n) / n, so start-up cost cancels. The two profiles
# stay in $work/cg.small.out and $work/cg.large.out, for a closer look without running them again.
per_unit() {
  local n=$1 small large
  shift
  small=$(callgrind_total "$@" "$n")
  mv "$work/cg.out" "$work/cg.small.out"
  large=$(callgrind_total "$@" $((n * 2)))
  mv "$work/cg.out" "$work/cg.large.out"
  echo $(((large - small) / n))
}

# thousands <n>: n with a comma every three digits (200000 -> 200,000)
thousands() { echo "$1" | sed -E ':a; s/([0-9])([0-9]{3})($|,)/\1,\2\3/; ta'; }
