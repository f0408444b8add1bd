#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# format.handwritten: every hand-written C and C++ file must be formatted as the repository's
# .clang-format says. The files are found when the test runs (a new file is checked as soon as it
# exists): *.c, *.h, *.cpp, *.hpp, *.cc, *.hh under the directories given (default: runtime
# examples tests bench kit), except tests/golden/ unless it is one of them.
# format.generated: the same for tests/golden/, the generated C (gen.test_golden checks that it is
# the generator's output for every test spec).
#
# Usage: check.sh <repo> [dir...]
# Exit status: 0 all formatted; 1 some file is not (clang-format names each file, line and column,
# and the list of files follows); 77 skipped: no clang-format 14 (the style is checked with Debian
# 12's clang-format 14, which scripts/deps.sh installs; other versions break a few lines
# differently). CLANG_FORMAT=<program> chooses the program.
set -uo pipefail
exec 2>&1
repo=${1:?usage: check.sh <repo> [dir...]}
shift
dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || dirs=(runtime examples tests bench kit)
want_major=14

program=""
found=""
for candidate in ${CLANG_FORMAT:-} clang-format-$want_major clang-format; do
  command -v "$candidate" >/dev/null 2>&1 || continue
  version=$("$candidate" --version 2>/dev/null | sed -n 's/.*clang-format version \([0-9][0-9.]*\).*/\1/p')
  found="$found $candidate (${version:-version unknown})"
  if [ "${version%%.*}" = "$want_major" ]; then
    program=$candidate
    break
  fi
done
if [ -z "$program" ]; then
  if [ -z "$found" ]; then
    echo "SKIP: clang-format not found (Debian: apt-get install clang-format, or bash scripts/deps.sh)"
  else
    echo "SKIP: no clang-format $want_major, the version the style is checked with; found:$found" \
         "(set CLANG_FORMAT=<program> to choose another)"
  fi
  exit 77
fi

cd "$repo" || exit 1
present=()
for d in "${dirs[@]}"; do
  [ -d "$d" ] && present+=("$d")
done
if [ ${#present[@]} -eq 0 ]; then
  echo "FAIL: none of ${dirs[*]} is a directory of $repo"
  exit 1
fi
dirs=("${present[@]}")
prune=tests/golden
for d in "${dirs[@]}"; do
  [ "${d%/}" != tests/golden ] || prune=tests/golden/.none # asked for: checked
done
files=()
while IFS= read -r -d '' f; do
  files+=("$f")
done < <(find "${dirs[@]}" -path "$prune" -prune -o -type f \
              \( -name '*.c' -o -name '*.h' -o -name '*.cpp' -o -name '*.hpp' -o -name '*.cc' -o -name '*.hh' \) \
              -print0 | sort -z)
if [ ${#files[@]} -eq 0 ]; then
  echo "FAIL: no C or C++ file found under ${dirs[*]} in $repo"
  exit 1
fi

# --dry-run --Werror: each difference is an error naming the file, line and column (at most 3 a file)
log=$("$program" --style=file --dry-run --Werror --ferror-limit=3 "${files[@]}" 2>&1)
status=$?
[ -z "$log" ] || printf '%s\n' "$log"
bad=()
while IFS= read -r f; do
  [ -n "$f" ] && bad+=("$f")
done < <(printf '%s\n' "$log" | sed -n 's/^\(.*\):[0-9]*:[0-9]*: error: code should be clang-formatted.*/\1/p' | uniq)
if [ $status -ne 0 ] && [ ${#bad[@]} -eq 0 ]; then
  echo "FAIL: $program exited with $status"
  exit 1
fi
if [ ${#bad[@]} -gt 0 ]; then
  echo "FAIL: ${#bad[@]} of ${#files[@]} files are not formatted by .clang-format ($program $version):"
  printf '  %s\n' "${bad[@]}"
  echo "Fix: $program -i <file> (or a /* clang-format off */ ... /* clang-format on */ pair, with the reason, where"
  echo "its layout is clearly worse)."
  exit 1
fi
echo "format: ${#files[@]} files under ${dirs[*]} formatted by .clang-format ($program $version)"
