import { Router } from '@koa/router';
import { openApiDocument } from '../http/openapi.js';

export function createOpenApiRouter(issuer: string): Router {
  const router = new Router();
  const body = JSON.stringify(openApiDocument(issuer));
  router.get('/openapi.json', (ctx) => {
    ctx.type = 'application/json';
    ctx.body = body;
  });
  return router;
}
