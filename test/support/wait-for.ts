// Polling for a condition that becomes true by itself (a purge finishing, a service recovering).

/** Resolves once `condition` holds, polling; rejects with `message` after `timeoutMs`. */
export async function waitFor(condition: () => Promise<boolean> | boolean, timeoutMs: number, message: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(message);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
