// A benchmark script that stops by itself: past its time limit, or on SIGINT/SIGTERM, it cleans up
// (its servers, clusters and temp files) and exits; the caller also cleans up in its own finally.
export function boundRun(name: string, limitMs: number, cleanUp: () => Promise<void>): { done(): void } {
  const giveUp = setTimeout(() => {
    console.error(`${name}: still running after ${limitMs / 60_000} minutes; giving up`);
    void cleanUp().finally(() => process.exit(1));
  }, limitMs);
  giveUp.unref();
  const onSignal = () => void cleanUp().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    done() {
      clearTimeout(giveUp);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
