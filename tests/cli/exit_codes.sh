#!/usr/bin/env bash
# The CTest clearcut_cli_exit_codes: every command maps errors through one table
# (cmd/clearcut/exit_codes.h). Bad input and a database that cannot be opened exit 2, never 1:
# 1 is an answer (a delivery that fails, a tampered log), and a pipeline gating on it must not
# read "the database was down" as one. Every --help ends with the table.
#   tests/cli/exit_codes.sh PATH/TO/clearcut
set -uo pipefail
c=$1
picture="$(cd "$(dirname "$0")/../.." && pwd)/fuzz/corpus/image/baseline.jpg"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

# expect CODE DESCRIPTION COMMAND...: runs the command, compares its exit code.
expect() {
  local want=$1 what=$2
  shift 2
  "$@" >"$work/out" 2>&1
  local got=$?
  if [ "$got" -ne "$want" ]; then
    echo "FAIL $what: exit $got, expected $want: $*"
    sed 's/^/  | /' "$work/out"
    failures=$((failures + 1))
  else
    echo "ok   $what: exit $got"
  fi
}

# Databases that cannot be opened: an SQLite file whose folder does not exist, a PostgreSQL
# server where none listens.
gone="sqlite:$work/no-such-folder/clearcut.db"
unreachable="postgresql://127.0.0.1:9/clearcut?connect_timeout=5"
verifier=$("$c" audit key --generate --key "$work/audit.key") || exit 1
printf 'not a picture\n' >"$work/notes.txt"
"$c" keys init --out "$work/keys" --test-root >/dev/null || exit 1
export CLEARCUT_EXIT_CODES_WM=passphrase-for-the-exit-code-test

expect 2 "assess, no such file" "$c" assess "$work/missing.yaml"
expect 2 "inspect, not a picture" "$c" inspect "$work/notes.txt"
expect 2 "inspect, no such file" "$c" inspect "$work/missing.jpg"
expect 2 "scan, unknown flag" "$c" scan "$work" --production X --no-such-flag
expect 2 "audit key, no key file" "$c" audit key --key "$work/missing.key"

expect 2 "admin create-token, database unavailable" \
  "$c" admin create-token --db "$gone" --signing-key "$work/audit.key" --email a@example.com
CLEARCUT_PASSWORD=secret-enough-1 expect 2 "admin create-user, database unavailable" \
  "$c" admin create-user --db "$gone" --signing-key "$work/audit.key" --email a@example.com
expect 2 "scan, database unavailable" "$c" scan "$work/notes.txt" --production X --db "$gone"
expect 2 "scan, PostgreSQL unreachable" \
  "$c" scan "$work/notes.txt" --production X --db "$unreachable"
expect 2 "scan-worker --once, database unavailable" \
  "$c" scan-worker --once --db "$gone" --scan-root "$work"
expect 2 "audit verify, database unavailable" "$c" audit verify --db "$gone" --key "$verifier"
expect 2 "audit export-checkpoints, database unavailable" \
  "$c" audit export-checkpoints --db "$gone"
expect 2 "audit replay, database unavailable" "$c" audit replay --db "$gone"
expect 2 "inspect, database unavailable" \
  "$c" inspect "$picture" --db "$gone" --signing-key "$work/audit.key"
expect 2 "inspect, PostgreSQL unreachable" \
  "$c" inspect "$picture" --db "$unreachable" --signing-key "$work/audit.key"
expect 2 "stamp, database unavailable" \
  "$c" stamp "$picture" --use-case 1 --db "$gone" --signing-key "$work/audit.key" \
  --as a@example.com --key "$work/keys" --watermark-passphrase CLEARCUT_EXIT_CODES_WM \
  --out "$work/stamped.jpg"
expect 2 "stamp, server unavailable" \
  "$c" stamp "$picture" --use-case 1 --server http://127.0.0.1:9 --token t \
  --key "$work/keys" --watermark-passphrase CLEARCUT_EXIT_CODES_WM --out "$work/stamped.jpg"
expect 2 "serve, database unavailable" \
  "$c" serve --db "$gone" --signing-key "$work/audit.key" --port 0

# says TEXT DESCRIPTION: the last command's output holds TEXT.
says() {
  if grep -qF -- "$1" "$work/out"; then
    echo "ok   $2: says '$1'"
  else
    echo "FAIL $2: output lacks '$1'"
    sed 's/^/  | /' "$work/out"
    failures=$((failures + 1))
  fi
}

# Commands that read a database never create one: run where there is none, without --db, each
# names the missing file and leaves the folder as it was.
mkdir "$work/empty"
for command in scan "scan-worker" "audit verify" "audit export-checkpoints" "audit replay"; do
  case $command in
    scan) args=("$work/notes.txt" --production X) ;;
    scan-worker) args=(--once --scan-root "$work") ;;
    *) args=() ;;
  esac
  # shellcheck disable=SC2086 # the subcommand's words
  cd "$work/empty" || exit 1
  expect 2 "$command, no database here" "$c" $command "${args[@]}"
  cd - >/dev/null || exit 1
  says "no database at clearcut.db" "$command, no database here"
  if [ -n "$(ls -A "$work/empty")" ]; then
    echo "FAIL $command, no database here: left $(ls -A "$work/empty")"
    failures=$((failures + 1))
    rm -rf "${work:?}/empty/"*
  fi
done

# A misspelt command is named, with the one meant.
expect 2 "misspelt command" "$c" scna "$work/notes.txt"
says "unknown command 'scna' (did you mean 'scan'?)" "misspelt command"
expect 2 "misspelt subcommand" "$c" audit verfy
says "unknown command 'verfy' (did you mean 'verify'?)" "misspelt subcommand"
expect 2 "unknown command" "$c" frobnicate
says "unknown command 'frobnicate'" "unknown command"

for command in assess "policy test" "policy lint" "keys init" "keys check" serve "admin create-user" \
  "admin create-token" "admin import-tools" "audit verify" "audit key" \
  "audit export-checkpoints" "audit replay" stamp inspect scan scan-worker; do
  # The whole help first: grep -q stops reading at the match, and a slow writer (ASan, a busy
  # machine) then dies of SIGPIPE, which pipefail would report as a missing table.
  # shellcheck disable=SC2086 # the subcommand's words
  help=$("$c" $command --help)
  if ! grep -q '^Exit codes:' <<<"$help"; then
    echo "FAIL $command --help: no exit code table"
    failures=$((failures + 1))
  fi
done

[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "all exit codes as documented"
