#!/usr/bin/env bash
# The semantic fuzzer's long run: COUNT cases (default 100000) of
# Tests/MILanguageTests/SemanticFuzzTests, with the larger per-case budget
# (MI_SFUZZ_HEAVY=1), in child processes that run JOBS at a time.
#
# A crash ends only its own process. The case it was running is named by
# the test's crash reporter, or read from the progress file each process
# keeps (a signal no handler sees, such as the kernel's out-of-memory
# SIGKILL, or LIMIT passing), or named by the test when a case hangs past its
# limit (the test then ends its own process); it is recorded, and the chunk goes
# on after it. At the end the script prints the number of cases, their
# outcomes and every crash and problem, and exits 1 if there was any.
#
#   bash scripts/fuzz-long.sh [COUNT]
#   env: JOBS (2) processes at once, CHUNK (2000) cases per process,
#        CONFIG (release), LIMIT (1800) seconds per process, MI_SFUZZ_SEED
#
# Print and rerun one case: MI_SFUZZ_INDEX=N [MI_SFUZZ_HEAVY=1] swift test --filter SemanticFuzzTests
set -uo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-100000}
JOBS=${JOBS:-2}
CHUNK=${CHUNK:-2000}
CONFIG=${CONFIG:-release}
LIMIT=${LIMIT:-1800}
TEST=MILanguageTests.SemanticFuzzTests/testGeneratedProgramsRunWithoutCrashing

# Build the tests as `swift test` does (testable imports), then run the bundle directly.
swift test -c "$CONFIG" --list-tests > /dev/null || { echo "fuzz-long: the tests do not build" >&2; exit 2; }
BUNDLE="$(swift build -c "$CONFIG" --show-bin-path)/miPackageTests.xctest"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
started=$(date +%s)

# One job: chunks j, j+JOBS, j+2*JOBS, ... of CHUNK cases.
job() {
    local j=$1 first=$(( $1 * CHUNK ))
    for (( chunk = first; chunk < COUNT; chunk += JOBS * CHUNK )); do
        local s=$chunk end=$(( chunk + CHUNK < COUNT ? chunk + CHUNK : COUNT ))
        while (( s < end )); do
            local out="$WORK/out.$j" progress="$WORK/progress.$j"
            : > "$progress"
            MI_SFUZZ_START=$s MI_SFUZZ_COUNT=$(( end - s )) MI_SFUZZ_HEAVY=1 MI_SFUZZ_WORKERS=1 \
                MI_SFUZZ_PROGRESS="$progress" timeout -s KILL "$LIMIT" "$BUNDLE" "$TEST" > "$out" 2>&1
            local rc=$?
            grep -E '^semantic fuzz: ' "$out" >> "$WORK/summaries.$j"
            grep -E ': error: ' "$out" | head -20 >> "$WORK/problems.$j"
            if grep -qE '^semantic fuzz: ' "$out"; then
                s=$end
                continue
            fi
            # The process died: its case is the last one it began.
            local index
            index=$(head -c 20 "$progress" | tr -d ' \n')
            [[ -z "$index" ]] && index=$s
            # A hang: the test ended its own process and named the case.
            local hang
            hang=$(grep -m1 -E '^semantic fuzz hang: ' "$out")
            if [[ -n "$hang" ]]; then
                index=$(sed -E 's/.*case #([0-9]+).*/\1/' <<< "$hang")
                echo "case #$index: ${hang#semantic fuzz hang: case #$index }" >> "$WORK/hangs.$j"
                echo "$(( index - s ))" >> "$WORK/before-crash.$j"
                s=$(( index + 1 ))
                continue
            fi
            # Why: the runtime's message, or the trap's reason, and the crashed thread's first frames here.
            local why frames
            why=$(grep -m1 -E 'Fatal error' "$out" | cut -c1-200)
            frames=$(awk '/ crashed:$/ { f = 1; next } f && / at \/.*\/(Sources|Tests)\// { print; if (++n == 3) exit }' "$out" \
                     | sed -E "s|$PWD/||; s/.*0x[0-9a-f]+ ([^+]*[^ +])( \+ [0-9]+)? in [^ ]+ at (.*)/\1 (\3)/" | cut -c1-160 \
                     | paste -sd ';' -)
            [[ -z "$why$frames" ]] && why="exit status $rc$( (( rc == 137 )) && echo ' (SIGKILL: out of memory, or over LIMIT)')"
            why="$why${frames:+ at $frames}"
            echo "case #$index: $why" >> "$WORK/crashes.$j"
            echo "$(( index - s ))" >> "$WORK/before-crash.$j"
            s=$(( index + 1 ))
        done
    done
}

# (bash's own "Illegal instruction" notices of crashed children go to a file.)
for (( j = 0; j < JOBS; j++ )); do job "$j" 2>> "$WORK/shell.$j" & done
wait

# Totals over every process's summary line.
cat "$WORK"/summaries.* 2>/dev/null | awk -v crashes="$(cat "$WORK"/crashes.* 2>/dev/null | wc -l)" \
    -v unsummarised="$(cat "$WORK"/before-crash.* 2>/dev/null | awk '{ n += $1 } END { print n + 0 }')" \
    -v hangs="$(cat "$WORK"/hangs.* 2>/dev/null | wc -l)" \
    -v seconds="$(( $(date +%s) - started ))" '
    {
        total += $3
        for (i = 1; i <= NF; i++) {
            if ($(i + 1) ~ /^(ran|refused|failed|stopped|heavy)[,;]?$/) { k = $(i + 1); sub(/[,;]$/, "", k); n[k] += $i }
            if ($(i + 1) == "problems;") problems += $i
        }
    }
    END {
        total += unsummarised + crashes + hangs
        printf "fuzz-long: %d cases in %d s: %d ran, %d refused, %d failed at run time, %d stopped at the step limit, " \
               "%d over budget (not run), %d in processes that crashed or hung; %d crashes, %d hangs, %d problems\n", \
               total, seconds, n["ran"], n["refused"], n["failed"], n["stopped"], n["heavy"], unsummarised, \
               crashes, hangs, problems
    }'
failed=0
if cat "$WORK"/crashes.* 2>/dev/null | grep -q .; then
    echo "crashes:"
    cat "$WORK"/crashes.* | sort -t'#' -k2 -n
    failed=1
fi
if cat "$WORK"/hangs.* 2>/dev/null | grep -q .; then
    echo "hangs (over the test's limit; the process ended itself):"
    cat "$WORK"/hangs.* | sort -t'#' -k2 -n
    failed=1
fi
if cat "$WORK"/problems.* 2>/dev/null | grep -q .; then
    echo "problems:"
    cat "$WORK"/problems.*
    failed=1
fi
exit $failed
