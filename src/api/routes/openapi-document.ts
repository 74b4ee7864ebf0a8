/** The OpenAPI 3.1 description of `/api/v1`, served at `/api/v1/openapi.json`. */
export function openApiDocument(missionName: string) {
  const text = { type: 'string' };
  const list = (description: string) => ({ in: 'query', schema: text, description: `${description} (comma list)` });
  const error = { description: 'error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  const nameParam = { name: 'name', in: 'path', required: true, schema: text };
  return {
    openapi: '3.1.0',
    info: { title: `${missionName} science data center API`, version: '1' },
    components: {
      securitySchemes: { basic: { type: 'http', scheme: 'basic' }, bearer: { type: 'http', scheme: 'bearer', description: 'an API token (sdct_...) or an OIDC JWT' } },
      schemas: {
        Error: { type: 'object', properties: { error: { type: 'object', properties: { code: text, message: text } } } },
        File: {
          type: 'object',
          properties: {
            id: { type: 'integer' }, name: text, kind: text, product: text, spacecraft: text, instrument: text, mode: text, level: text, descriptor: text, dataType: text,
            start: { type: 'string', format: 'date-time' }, end: { type: 'string', format: 'date-time' }, version: text, size: { type: 'integer' }, sha256: text,
            ingestedAt: { type: 'string', format: 'date-time' }, releasedAt: { type: ['string', 'null'], format: 'date-time' }, metadata: { type: 'object' },
          },
        },
      },
    },
    security: [{}, { basic: [] }, { bearer: [] }],
    paths: {
      '/api/v1/files': {
        get: {
          summary: 'Search files the caller may see (the public: released files only)',
          parameters: [
            ...['kind', 'product', 'spacecraft', 'instrument', 'mode', 'level', 'descriptor', 'dataType', 'version', 'name'].map((name) => ({ name, ...list(name) })),
            { name: 'from', in: 'query', schema: { type: 'string', format: 'date-time' }, description: 'files overlapping [from, to]' },
            { name: 'to', in: 'query', schema: { type: 'string', format: 'date-time' } },
            { name: 'versions', in: 'query', schema: { enum: ['latest', 'all'], default: 'latest' } },
            { name: 'release', in: 'query', schema: text, description: 'only the versions a named release pins' },
            { name: 'order', in: 'query', schema: { enum: ['asc', 'desc'], default: 'asc' }, description: 'by start time' },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
            { name: 'cursor', in: 'query', schema: text, description: 'nextCursor of the previous page' },
          ],
          responses: { 200: { description: 'a page of files', content: { 'application/json': { schema: { type: 'object', properties: { files: { type: 'array', items: { $ref: '#/components/schemas/File' } }, nextCursor: { type: ['string', 'null'] } } } } } }, 400: error },
        },
      },
      '/api/v1/files/{name}': {
        get: { summary: 'File detail: catalog row, CDF attributes and time range, versions, provenance', parameters: [nameParam], responses: { 200: { description: 'the file' }, 404: error } },
        put: {
          summary: "Upload a file: an operator any file; an instrument's team members and admins (or the kind's uploadRoles) that instrument's files. Content-Length required, X-Checksum-Sha256 optional",
          parameters: [nameParam],
          responses: { 201: { description: 'ingested' }, 200: { description: 'identical duplicate' }, 400: error, 401: error, 403: error, 409: error, 411: error, 413: error, 422: error },
        },
      },
      '/api/v1/files/{name}/content': {
        get: { summary: 'Download (Range, If-None-Match, If-Modified-Since; ETag = sha256)', parameters: [nameParam], responses: { 200: { description: 'the bytes' }, 206: { description: 'a range' }, 304: { description: 'not modified' }, 404: error, 416: error } },
      },
      '/api/v1/files/{name}/provenance': {
        get: {
          summary: 'W3C PROV document of the file\'s precursors (or descendants), as PROV-JSON or PROV-N (also chosen by Accept: text/provenance-notation)',
          parameters: [nameParam, { name: 'direction', in: 'query', schema: { enum: ['precursors', 'descendants'], default: 'precursors' } }, { name: 'format', in: 'query', schema: { enum: ['prov-json', 'prov-n'] } }],
          responses: { 200: { description: 'the PROV document' }, 400: error, 404: error },
        },
      },
      '/api/v1/verify': { get: { summary: 'Whether a copy with this sha256 is genuine (signed traces), which version, withdrawn or superseded (also at /verify)', parameters: [{ name: 'sha256', in: 'query', required: true, schema: text }], responses: { 200: { description: 'the verification' }, 400: error } } },
      '/api/v1/keys': { get: { summary: 'The Ed25519 public keys that sign provenance traces, current and retired', responses: { 200: { description: 'keys' } } } },
      '/api/v1/bundles': {
        get: {
          summary: 'Many files as one zip or tar stream (at most 500 files, 1 GiB): the named files, or the versions a named release pins',
          parameters: [
            { name: 'names', ...list('file names') },
            { name: 'release', in: 'query', schema: text, description: 'a named release: its pinned versions, narrowed by product, from, to, names' },
            { name: 'product', ...list('products (with release)') },
            { name: 'from', in: 'query', schema: { type: 'string', format: 'date-time' } },
            { name: 'to', in: 'query', schema: { type: 'string', format: 'date-time' } },
            { name: 'format', in: 'query', schema: { enum: ['zip', 'tar'], default: 'zip' } },
          ],
          responses: { 200: { description: 'the archive' }, 400: error, 404: error },
        },
      },
      '/api/v1/availability': {
        get: { summary: 'Files and bytes per day of one product (latest versions)', parameters: [{ name: 'product', in: 'query', required: true, schema: text }, { name: 'from', in: 'query', schema: text }, { name: 'to', in: 'query', schema: text }], responses: { 200: { description: 'days' }, 400: error } },
      },
      '/api/v1/releases': { get: { summary: 'Named releases (snapshots pinning one version per file)', responses: { 200: { description: 'releases' } } } },
      '/api/v1/releases/{name}': { get: { summary: 'One named release', parameters: [nameParam], responses: { 200: { description: 'the release' }, 404: error } } },
      '/api/v1/releases/audit': { get: { summary: 'Release decisions, newest first (team)', responses: { 200: { description: 'audit rows' } } } },
      '/api/v1/releases/approvals': { post: { summary: 'Approve a product version for public release (instrument admin, operator)', responses: { 201: { description: 'approved' }, 403: error } } },
      '/api/v1/releases/withdrawals': { post: { summary: 'Withdraw a product version from the public (instrument admin, operator)', responses: { 201: { description: 'withdrawn' }, 403: error } } },
      '/api/v1/jobs': { get: { summary: 'Jobs, failures first (team)', responses: { 200: { description: 'jobs' } } } },
      '/api/v1/processors': { get: { summary: 'Active processor versions per tier with their jobs per state, last success and failure (team)', responses: { 200: { description: 'processors' }, 404: error } } },
      '/api/v1/jobs/{id}': { get: { summary: 'One job with its log (team)', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }], responses: { 200: { description: 'the job' }, 404: error } } },
      '/api/v1/sitl/windows': { get: { summary: 'SITL evaluation windows with their automated selections and the readiness of their SITL-level products, newest first (missions with SITL; docs/sitl.md)', responses: { 200: { description: 'windows' } } } },
      '/api/v1/sitl/windows/{id}': { get: { summary: 'One window: automated selections, MDQ, parameters, submissions, its SITL-level products (present, missing, late) and readiness', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }], responses: { 200: { description: 'the window' }, 404: error } } },
      '/api/v1/sitl/windows/{id}/report': { get: { summary: 'What was selected in a window, by whom, buffers per FOM category, its segments and their held/overwritten/transmitted buffer history', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }], responses: { 200: { description: 'the report' }, 400: error, 404: error } } },
      '/api/v1/sitl/windows/{id}/plot.png': { get: { summary: 'Quicklook PNG: survey data, burst metadata quality, the automated and SITL selections as FOM bars; titles, scales and UTC time axis', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }], responses: { 200: { description: 'image/png' }, 400: error, 404: error } } },
      '/api/v1/sitl/windows/{id}/submissions': { post: { summary: "Submit a window's selections (draft, or the final uplink that closes it); sitl or super-sitl. Result codes 0 accepted, 1 errors or warnings, 2 nothing changed, 3 SDC error", parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }], responses: { 201: { description: 'accepted (result 0)' }, 200: { description: 'nothing changed (result 2)' }, 401: error, 403: error, 404: error, 422: { description: 'refused with every finding (result 1)' } } } },
      '/api/v1/sitl/windows/{id}/check': { post: { summary: 'Validate selections without recording them', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }], responses: { 200: { description: 'the findings' }, 401: error, 403: error } } },
      '/api/v1/sitl/back-structure': { post: { summary: 'Back-structure edits (modify FOM, delete, add); super-sitl', responses: { 201: { description: 'accepted' }, 200: { description: 'nothing changed' }, 401: error, 403: error, 422: { description: 'refused with every finding' } } } },
      '/api/v1/sitl/segments': { get: { summary: 'The burst data segment table (TAI from/to, status)', responses: { 200: { description: 'segments' }, 400: error } } },
      '/api/v1/sitl/metadata': { get: { summary: 'Burst metadata cycles (TAI from/to, spacecraft)', responses: { 200: { description: 'cycles' }, 400: error } } },
      '/api/v1/sitl/validation-limits': { get: { summary: 'The validation limits and FOM categories in force', responses: { 200: { description: 'limits' } } } },
      '/api/v1/mirror/public/manifest': { get: { summary: 'Mirror feed of released files (anyone): every released file now, with the cursor of its release', responses: { 200: { description: '{ cursor, files }' } } } },
      '/api/v1/mirror/public/changes': { get: { summary: 'Changes of released files (added, superseded, withdrawn) after a cursor, in release order', parameters: [{ name: 'after', in: 'query', schema: { type: 'integer' } }, { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000 } }], responses: { 200: { description: '{ changes, next, latest }' }, 400: error } } },
      '/api/v1/mirror/public/files/{name}': { get: { summary: "A released file's bytes (X-Checksum-Sha256)", parameters: [nameParam], responses: { 200: { description: 'application/octet-stream' }, 404: error } } },
      '/api/v1/mirror/manifest': { get: { summary: 'Team mirror feed (role mirror or operator for *): every production file now, released or not', responses: { 200: { description: '{ cursor, files }' }, 401: error, 403: error } } },
      '/api/v1/mirror/changes': { get: { summary: 'Changes of production files after a cursor, in ingestion order (mirror or operator)', parameters: [{ name: 'after', in: 'query', schema: { type: 'integer' } }, { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000 } }], responses: { 200: { description: '{ changes, next, latest }' }, 400: error, 401: error, 403: error } } },
      '/api/v1/mirror/files/{name}': { get: { summary: "A production file's bytes (mirror or operator)", parameters: [nameParam], responses: { 200: { description: 'application/octet-stream' }, 401: error, 403: error, 404: error } } },
      '/api/v1/mirror/mirrors/{name}/ack': { post: { summary: "Records how far a registered mirror applied its feed (its account, or an operator's); registers it the first time", parameters: [nameParam, { name: 'cursor', in: 'query', required: true, schema: { type: 'integer' } }, { name: 'feed', in: 'query', schema: { type: 'string', enum: ['team', 'public'] } }], responses: { 200: { description: '{ name, feed, cursor }' }, 400: error, 401: error, 403: error } } },
      '/api/v1/mirror/mirrors': { get: { summary: 'Registered mirrors, their feeds and how far behind each is (operators)', responses: { 200: { description: '{ mirrors }' }, 401: error, 403: error } } },
    },
  };
}
