import express, { Router } from 'express';
import { buildAsyncApiDocument } from './asyncapi';
import { buildOpenApiDocument } from './openapi';

/**
 * swagger-ui-dist's own getAbsoluteFSPath, from its own file: the package's main module would
 * load the 1.7 MB browser bundle into the api only to say where the files are.
 */
const swaggerUiDir = (require('swagger-ui-dist/absolute-path.js') as () => string)();

// Absolute asset paths, so the page works at /docs and /docs/ alike; no inline script, so a strict CSP can allow it.
const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>quizloop api</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/swagger-initializer.js"></script>
</body>
</html>
`;

// Served in place of the package's own initializer (which points at the petstore). No validator: it would call out to the internet.
const INITIALIZER = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true, validatorUrl: null });\n`;

/** The OpenAPI document at /openapi.json, Swagger UI at /docs (no CDN), and the socket's AsyncAPI document at /asyncapi.json. */
export function docsRoutes(): Router {
  const router = Router();
  const document = buildOpenApiDocument();
  const asyncApi = buildAsyncApiDocument();

  router.get('/openapi.json', (_req, res) => {
    res.json(document);
  });

  router.get('/asyncapi.json', (_req, res) => {
    res.json(asyncApi);
  });

  router.get('/docs', (_req, res) => {
    res.type('html').send(PAGE);
  });

  router.get('/docs/swagger-initializer.js', (_req, res) => {
    res.type('text/javascript').send(INITIALIZER);
  });

  router.use('/docs', express.static(swaggerUiDir, { index: false, maxAge: '1h' }));
  return router;
}
