// CPU time of another process, for the benchmark's CPU columns.
import { readFileSync } from 'node:fs';

/** utime + stime of a process from /proc/<pid>/stat, in seconds (Linux USER_HZ is 100). */
export function processCpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}
