#!/usr/bin/env bash
# Stop the single-node Slurm cluster started by scripts/slurm/start.sh: cancel every job, then stop slurmd,
# slurmctld and munged by the pids they recorded (never by a broad process name match).
set -uo pipefail
scancel --user=root >/dev/null 2>&1 || true
stop_pidfile() {
  local file="$1"
  [ -s "$file" ] || return 0
  local pid
  pid="$(cat "$file")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$file"
}
stop_pidfile /run/slurmd.pid
stop_pidfile /run/slurmctld.pid
stop_pidfile /run/munge/munged.pid
echo "slurm/stop.sh: stopped"
