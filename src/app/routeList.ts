import type { Router } from '@koa/router';

export interface RouteEntry {
  method: string;
  path: string;
}

/**
 * Every (method, path) the routers answer, as registered: router-level middleware (`use`)
 * is skipped, and so is the HEAD that @koa/router adds to every GET automatically. OPTIONS
 * stays when a route registered it explicitly (CORS preflight); the one allowedMethods()
 * answers is not a route. Sorted, without duplicates.
 */
export function listRoutes(routers: readonly Router[]): RouteEntry[] {
  const seen = new Map<string, RouteEntry>();
  for (const router of routers) {
    for (const layer of router.stack) {
      if (typeof layer.path !== 'string') continue;
      const methods = layer.methods.filter((m) => !(m === 'HEAD' && layer.methods.includes('GET')));
      for (const method of methods) seen.set(`${method} ${layer.path}`, { method, path: layer.path });
    }
  }
  return [...seen.values()].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}
