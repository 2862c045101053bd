// A page for the browser run: it loads the installed SDK as native ES modules through an import
// map, and /api/* on the same origin is proxied to the API, so a page calling its own origin needs no
// CORS; a page calling the API's origin directly needs the server's CORS_ORIGINS. Loopback only.
import { readFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { join, normalize, sep } from 'node:path';

export interface SdkPage {
  url: string;
  /** `METHOD /path` of every request that went through to the API. */
  apiRequests: string[];
  close(): Promise<void>;
}

function html(imports: Record<string, string>, moduleName: string): string {
  return `<!doctype html>
<meta charset="utf-8">
<title>SDK</title>
<script type="importmap">${JSON.stringify({ imports })}</script>
<script type="module">
  import * as sdk from ${JSON.stringify(moduleName)};
  window.sdk = sdk;
</script>
`;
}

function proxy(request: IncomingMessage, response: ServerResponse, apiUrl: string): void {
  const target = new URL(request.url ?? '/', apiUrl);
  const upstream = httpRequest(target, { method: request.method, headers: { ...request.headers, host: target.host } }, (answer) => {
    response.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(response);
  });
  upstream.on('error', () => response.destroy());
  request.pipe(upstream);
}

async function serveModule(path: string, nodeModules: string, response: ServerResponse): Promise<void> {
  const file = normalize(join(nodeModules, decodeURIComponent(path)));
  if (!file.startsWith(nodeModules + sep)) {
    response.writeHead(403).end();
    return;
  }
  try {
    const body = await readFile(file);
    response.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' }).end(body);
  } catch {
    response.writeHead(404).end();
  }
}

/**
 * Serves `/` (the page), `/modules/…` (files under the app's node_modules) and proxies `/api/…`.
 * `imports` maps bare names to `/modules/…` URLs.
 */
export async function serveSdkPage(options: { appDir: string; apiUrl: string; imports: Record<string, string>; moduleName: string }): Promise<SdkPage> {
  const nodeModules = join(options.appDir, 'node_modules');
  const apiRequests: string[] = [];
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://page').pathname;
    if (path.startsWith('/api/')) {
      apiRequests.push(`${request.method} ${path}`);
      proxy(request, response, options.apiUrl);
    } else if (path.startsWith('/modules/')) {
      void serveModule(path.slice('/modules/'.length), nodeModules, response);
    } else if (path === '/') {
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(html(options.imports, options.moduleName));
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    apiRequests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
