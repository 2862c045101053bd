// Where the server's log lines go: stdout, asynchronously, with the lines of one turn of the event
// loop handed over together. Under load that is one write for the many requests of a turn instead
// of one write each, and no line waits longer than the turn that produced it.
import { once } from 'node:events';
import { pino } from 'pino';

/** A reader that never drains the pipe must not hold the exit forever. */
const CLOSE_TIMEOUT_MS = 2_000;

export interface LogDestination {
  write(line: string): void;
  /**
   * Writes out every line logged so far, in order, including a write already in flight, then
   * takes no more: the last step before process.exit.
   */
  close(): Promise<void>;
}

/** `fd` 1 is stdout; another descriptor (a file) lets the batching be observed. */
export function turnBufferedLogDestination(fd = 1): LogDestination {
  const out = pino.destination({ dest: fd, sync: false });
  let pending = '';
  let scheduled = false;
  let closing: Promise<void> | null = null;
  const handOver = () => {
    scheduled = false;
    if (pending === '') return;
    out.write(pending);
    pending = '';
  };
  return {
    write(line) {
      if (closing) return;
      pending += line;
      if (!scheduled) {
        scheduled = true;
        setImmediate(handOver);
      }
    },
    close() {
      closing ??= (async () => {
        const closed = once(out, 'close');
        handOver();
        // end() lets the write in flight land before the rest, where flushSync would overtake it.
        out.end();
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([closed, new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_TIMEOUT_MS)))]);
        clearTimeout(timer);
      })();
      return closing;
    },
  };
}
