// Loaded into the server under soak with `node --import`: once a second, the process's own memory
// figures on stderr as one JSON line, so the soak samples the heap from inside without the server
// growing an endpoint for it.
const PROBE_INTERVAL_MS = 1_000;

setInterval(() => {
  const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
  process.stderr.write(`${JSON.stringify({ soakProbe: { at: Date.now(), rss, heapUsed, heapTotal, external } })}\n`);
}, PROBE_INTERVAL_MS).unref();
