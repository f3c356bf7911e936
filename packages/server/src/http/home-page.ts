/** `GET /`: a minimal page until the web UI lands, with links to the API. */
const PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Stepwise</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}code{background:#eee;padding:0 .2em}</style>
</head>
<body>
<h1>Stepwise server</h1>
<p>Stepwise server — the web UI arrives in the next release.</p>
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
  return new Response(PAGE, { headers: { "content-type": "text/html; charset=utf-8" } });
}
