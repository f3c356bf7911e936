/** `GET /` when the web UI is not built (or no `--web-root` is set): says how to build it. */
const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Stepwise</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}code{background:#eee;padding:0 .2em}</style>
</head>
<body>
<h1>Stepwise server</h1>
<p>The API is running, but the web UI is not built. Build it and reload this page:</p>
<pre><code>npm run build -w @stepwise/web</code></pre>
<p>(<code>npm install</code> at the repository root builds it too.) To serve a UI built elsewhere,
start the server with <code>--web-root &lt;dir&gt;</code> (the directory holding <code>index.html</code>).</p>
<ul>
<li><a href="/api/v1/entities">Entities</a> (<code>GET /api/v1/entities</code>)</li>
<li><a href="/api/v1/viewer">Who am I</a> (<code>GET /api/v1/viewer</code>)</li>
</ul>
<p>The API is described in <code>docs/server.md</code>. From another machine, send
<code>Authorization: Bearer &lt;key&gt;</code>; <code>stepwise login</code> stores a key for the SDK and CLI.</p>
</body>
</html>
`;

export function homePage(): Response {
  return new Response(PAGE, {
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-cache" },
  });
}
