/**
 * Shared tools for the importers' fuzz tests: a seeded random source (the same seed gives the same inputs, so a
 * failure can be replayed), mutations of a valid input, and watchers for what a malformed input must never do to
 * the server: stall the event loop or take unbounded memory.
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';

/** mulberry32: a small, fast, seeded 32-bit generator. */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(0, items.length - 1)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = this.int(0, 255);
    return b;
  }
}

/** Awkward values that importers meet in real files and in attacks. */
export const NASTY_VALUES: readonly string[] = [
  '',
  ' ',
  '-',
  'NaN',
  'Infinity',
  '-Infinity',
  '9'.repeat(309),
  '1e309',
  '-1e309',
  '1e-400',
  '0x10',
  '5 5',
  '1,2,3',
  '1,,000',
  '12,34',
  '١٢٣',
  '=HYPERLINK("http://evil.example","x")',
  '+1+1',
  '@SUM(A1)',
  '\u0000',
  '\uFEFF12',
  '"',
  '""',
  '\r\n',
  'x'.repeat(10_000),
  '2024-13',
  '2024-00',
  '9999-99',
  '<script>alert(1)</script>',
  "'; DROP TABLE figures; --",
  'null',
  '[]',
  '{}',
  '-0',
  '1.7976931348623157e308',
];

/** Mutates a text input in one of several ways: byte flips, truncation, duplication, nasty values in fields. */
export function mutateText(random: Random, input: string, separator = ','): string {
  const lines = input.split('\n');
  switch (random.int(0, 7)) {
    case 0: {
      // Replace one field with a nasty value.
      const i = random.int(0, lines.length - 1);
      const fields = lines[i]!.split(separator);
      fields[random.int(0, fields.length - 1)] = random.pick(NASTY_VALUES);
      lines[i] = fields.join(separator);
      return lines.join('\n');
    }
    case 1:
      // Truncate anywhere.
      return input.slice(0, random.int(0, input.length));
    case 2: {
      // Drop or add a field on one line.
      const i = random.int(0, lines.length - 1);
      const fields = lines[i]!.split(separator);
      if (random.chance(0.5)) fields.splice(random.int(0, fields.length - 1), 1);
      else fields.splice(random.int(0, fields.length), 0, random.pick(NASTY_VALUES));
      lines[i] = fields.join(separator);
      return lines.join('\n');
    }
    case 3: {
      // Flip a few characters.
      const chars = [...input];
      for (let n = random.int(1, 8); n > 0 && chars.length > 0; n--)
        chars[random.int(0, chars.length - 1)] = String.fromCharCode(random.int(0, 0xffff));
      return chars.join('');
    }
    case 4: {
      // Duplicate a line many times.
      const i = random.int(0, lines.length - 1);
      const copies = Array.from({ length: random.int(2, 200) }, () => lines[i]!);
      lines.splice(i, 0, ...copies);
      return lines.join('\n');
    }
    case 5:
      // Shuffle or drop the header.
      return random.chance(0.5)
        ? lines.slice(1).join('\n')
        : [lines[0]!.split(separator).reverse().join(separator), ...lines.slice(1)].join('\n');
    case 6:
      // Unbalanced quotes.
      return input.replace(separator, `${separator}"`);
    default:
      // Random bytes as text.
      return random.bytes(random.int(0, 2_000)).toString('latin1');
  }
}

/** Mutates binary input (zip, xlsx): flip bytes, truncate, or splice random bytes in. */
export function mutateBytes(random: Random, input: Buffer): Buffer {
  const out = Buffer.from(input);
  switch (random.int(0, 3)) {
    case 0:
      for (let n = random.int(1, 16); n > 0 && out.length > 0; n--) out[random.int(0, out.length - 1)] = random.int(0, 255);
      return out;
    case 1:
      return out.subarray(0, random.int(0, out.length));
    case 2: {
      const at = random.int(0, out.length);
      return Buffer.concat([out.subarray(0, at), random.bytes(random.int(1, 512)), out.subarray(at)]);
    }
    default:
      return random.bytes(random.int(0, 4_096));
  }
}

/** The main thread's CPU time (user + system) in ms, from Linux's /proc/thread-self/stat (10 ms ticks); null elsewhere. */
function mainThreadCpuMs(): number | null {
  try {
    // Fields after the command name (which is in parentheses and may hold spaces): utime and stime are the 12th and 13th.
    const stat = fs.readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}
const TICKS_PER_SECOND = 100;

/**
 * Watches the event loop while work runs: the longest time it was held by one piece of work, which is how long other
 * users' requests would have waited. A timer every 10 ms notes each gap between its ticks; a gap counts for the CPU time
 * the main thread spent in it (plus the 10 ms tick of that clock and the timer's own interval), not for its wall time,
 * so a test process that merely waited for a core while other test files ran beside it is not counted as stalled,
 * while a long synchronous parse or a long garbage collection is, as on a quiet machine. Where the thread's CPU time
 * cannot be read (not Linux), the gap's wall time counts.
 */
export class EventLoopWatch {
  private timer: NodeJS.Timeout | undefined;
  private lastWall = 0;
  private lastCpu: number | null = null;
  private longest = 0;
  private tick = (): void => {
    const wall = performance.now();
    const cpu = mainThreadCpuMs();
    const gap = wall - this.lastWall - INTERVAL_MS;
    const held = cpu !== null && this.lastCpu !== null ? Math.min(gap, cpu - this.lastCpu + 2 * INTERVAL_MS) : gap;
    this.longest = Math.max(this.longest, held);
    this.lastWall = wall;
    this.lastCpu = cpu;
  };
  start(): this {
    this.longest = 0;
    this.lastWall = performance.now();
    this.lastCpu = mainThreadCpuMs();
    this.timer = setInterval(this.tick, INTERVAL_MS);
    this.timer.unref();
    return this;
  }
  /** Longest stall in milliseconds since start(). */
  stop(): number {
    clearInterval(this.timer);
    this.tick();
    return Math.max(0, this.longest);
  }
}
const INTERVAL_MS = 10;

/** Samples resident memory every few milliseconds; `peakGrowthMiB` is the largest rise over the starting value. */
export class MemoryWatch {
  private timer: NodeJS.Timeout | undefined;
  private startRss = 0;
  private peak = 0;
  start(intervalMs = 20): this {
    this.startRss = process.memoryUsage.rss();
    this.peak = this.startRss;
    this.timer = setInterval(() => {
      this.peak = Math.max(this.peak, process.memoryUsage.rss());
    }, intervalMs);
    this.timer.unref();
    return this;
  }
  stop(): number {
    clearInterval(this.timer);
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
    return (this.peak - this.startRss) / 1024 / 1024;
  }
}
