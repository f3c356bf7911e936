// CPU seconds of processes, from /proc/<pid>/stat (Linux), to say which process limits a bench:
// `cpuSeconds(pid)` is one process (all its threads); `treeCpuSeconds(pid)` is a process and its
// live children plus what its exited children used (cutime/cstime count children the parent
// waited for: PostgreSQL's postmaster reaps its backends, so a backend that ended in between is
// still counted). Sample before and after a phase; the difference is what the phase cost.
import { readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";

/** Clock ticks per second: 100 on every Linux this runs on (getconf CLK_TCK). */
const HZ = 100;

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    return text.slice(text.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null; // the process ended
  }
}

/** [ppid, own seconds, waited-for children's seconds] of one process, or null when it ended. */
function sample(pid) {
  const f = statFields(pid);
  if (f === null) return null;
  // After the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14).
  return [Number(f[1]), (Number(f[11]) + Number(f[12])) / HZ, (Number(f[13]) + Number(f[14])) / HZ];
}

/** CPU seconds (user + system, every thread) of `pid` so far; 0 once it ended. */
export function cpuSeconds(pid) {
  return sample(pid)?.[1] ?? 0;
}

/** CPU seconds of `pid`, its live children and its reaped children so far. */
export function treeCpuSeconds(pid) {
  const root = sample(pid);
  if (root === null) return 0;
  let total = root[1] + root[2];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const child = sample(entry);
    if (child !== null && child[0] === pid) total += child[1];
  }
  return total;
}

/** The 1-minute load average, two decimals: printed beside every number. */
export function load1() {
  return Number(loadavg()[0].toFixed(2));
}

/** Whole-machine CPU seconds (busy, all cores) from /proc/stat, for "how busy was the box". */
export function machineBusySeconds() {
  const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: busy is everything but idle and iowait.
  const busy = cpu.reduce((a, b) => a + b, 0) - (cpu[3] ?? 0) - (cpu[4] ?? 0);
  return busy / HZ;
}

/**
 * Measures `work()` with the CPU of each named process: `pids` maps a label to
 * `{ pid, tree? }`. Returns `{ result, seconds, cpu: {label: seconds}, machine, load }`.
 */
export async function withCpu(pids, work) {
  const read = () =>
    Object.fromEntries(
      Object.entries(pids).map(([label, p]) => [label, p.tree ? treeCpuSeconds(p.pid) : cpuSeconds(p.pid)]),
    );
  const before = read();
  const busyBefore = machineBusySeconds();
  const t0 = process.hrtime.bigint();
  const result = await work();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const after = read();
  const cpu = Object.fromEntries(
    Object.keys(pids).map((label) => [label, Number((after[label] - before[label]).toFixed(2))]),
  );
  const machine = Number((machineBusySeconds() - busyBefore).toFixed(2));
  return { result, seconds, cpu, machine, load: load1() };
}
