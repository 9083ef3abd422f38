import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/**
 * Processes working in, or naming, `needle`: a data folder every server of one start is given. Redis
 * and PostgreSQL both move into their data folder, and redis-server rewrites its command line.
 */
export function processesMentioning(needle: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmdline.includes(needle) || readlinkSync(`/proc/${pid}/cwd`).startsWith(needle)) found.push(`${pid}: ${cmdline}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}
