// The body every reference server answers a DELETE with: the seed's 200, with a fresh-looking id.
// Built once, so the references measure the framework, not JSON serialisation.
export const DELETE_200_BODY = JSON.stringify({
  status: { code: 200, text: 'OK' },
  results: { deleted: true, id: 'monthly-leads-az-85020', meta: { requestId: '01KRCV49383QRW53VBJX6CVDCT' } },
});

/** Every reference server prints its URL as its first stdout line, like our server's "listening". */
export function announce(port: number): void {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}`, msg: 'listening' })}\n`);
}
