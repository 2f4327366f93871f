#!/usr/bin/env bash
# Start a single-node Slurm cluster on this machine, as root, with Debian's slurm-wlm and munge packages
# (`apt-get install -y slurm-wlm munge`). It is for the test suite and CI, not for production: one node, the
# controller and the compute daemon side by side, no accounting, no cgroups (containers here have none to
# give). Safe to run twice: a running cluster is left as it is. Stop it with scripts/slurm/stop.sh.
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
  echo "slurm/start.sh: run as root (munged, slurmctld and slurmd are started by hand here)" >&2
  exit 2
fi
for bin in munged slurmctld slurmd sbatch scontrol; do
  command -v "$bin" >/dev/null 2>&1 || { echo "slurm/start.sh: $bin not found: apt-get install -y slurm-wlm munge" >&2; exit 2; }
done

host="$(hostname -s)"
cpus="$(nproc)"
conf_dir=/etc/slurm
state_dir=/var/spool/slurmctld
spool_dir=/var/spool/slurmd
log_dir=/var/log/slurm
mkdir -p "$conf_dir" "$state_dir" "$spool_dir" "$log_dir"

# The settings below are the ones checked on these machines (issue 14): linuxproc process tracking and no
# task plugin, because the containers have no cgroup hierarchy Slurm may manage; no job accounting daemon.
# MaxArraySize is Slurm's default, written out so the executor's chunking of >1000 ranks is exercised as on
# a stock cluster.
cat > "$conf_dir/slurm.conf" <<CONF
ClusterName=chatmill-test
SlurmctldHost=${host}
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
StateSaveLocation=${state_dir}
SlurmdSpoolDir=${spool_dir}
SlurmctldLogFile=${log_dir}/slurmctld.log
SlurmdLogFile=${log_dir}/slurmd.log
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
ReturnToService=2
MaxArraySize=1001
MinJobAge=600
# Dependent phases start on the next scheduling pass; the default pass every 60 s would make each phase of
# a test wait up to a minute.
SchedulerParameters=sched_interval=2,bf_interval=2
NodeName=${host} CPUs=${cpus} State=UNKNOWN
PartitionName=debug Nodes=${host} Default=YES MaxTime=INFINITE State=UP
CONF

# munge: the package creates /etc/munge/munge.key on install; make one if it is missing. munged runs as the
# munge user, as the Debian service would start it.
mkdir -p /run/munge /var/log/munge /var/lib/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge
if [ ! -s /etc/munge/munge.key ]; then
  mungekey --create --keyfile /etc/munge/munge.key
  chown munge:munge /etc/munge/munge.key
  chmod 0400 /etc/munge/munge.key
fi
if ! pgrep -x munged >/dev/null 2>&1; then
  runuser -u munge -- /usr/sbin/munged
fi

if ! pgrep -x slurmctld >/dev/null 2>&1; then
  slurmctld
fi
if ! pgrep -x slurmd >/dev/null 2>&1; then
  slurmd
fi

# Wait until the node answers as idle (a restarted node may come back DOWN: resume it).
for _ in $(seq 1 60); do
  state="$(sinfo -h -n "$host" -o '%T' 2>/dev/null || true)"
  case "$state" in
    idle*|mixed*|allocated*) echo "slurm/start.sh: node ${host} is ${state} (${cpus} CPUs)"; exit 0 ;;
    down*|drain*) scontrol update NodeName="$host" State=RESUME >/dev/null 2>&1 || true ;;
  esac
  sleep 1
done
echo "slurm/start.sh: the node did not come up within 60 s; see ${log_dir}/slurmctld.log and slurmd.log" >&2
exit 1
