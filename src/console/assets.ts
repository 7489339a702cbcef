import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Router } from '@koa/router';
import { consoleFolder } from './views.js';

const require = createRequire(import.meta.url);
const packageDir = (name: string): string => dirname(require.resolve(`${name}/package.json`));

/**
 * Static files of the console, served from the installed packages (never a CDN, so the
 * console works offline) and from src/console/assets. A fixed list: nothing else is reachable.
 */
export function registerConsoleAssets(router: Router): void {
  const bootstrap = packageDir('bootstrap');
  const own = consoleFolder('assets');
  const files: Record<string, { path: string; type: string }> = {
    'bootstrap.min.css': { path: join(bootstrap, 'dist/css/bootstrap.min.css'), type: 'text/css; charset=utf-8' },
    'bootstrap.bundle.min.js': { path: join(bootstrap, 'dist/js/bootstrap.bundle.min.js'), type: 'text/javascript; charset=utf-8' },
    'console.css': { path: join(own, 'console.css'), type: 'text/css; charset=utf-8' },
    'console.js': { path: join(own, 'console.js'), type: 'text/javascript; charset=utf-8' },
  };
  const bodies = new Map(Object.entries(files).map(([name, f]) => [name, readFileSync(f.path)]));
  router.get('/console/assets/:name', (ctx) => {
    const name = ctx.params.name!;
    const file = files[name];
    const body = bodies.get(name);
    if (!file || !body) {
      ctx.status = 404;
      ctx.body = 'Not found';
      return;
    }
    ctx.type = file.type;
    ctx.set('Cache-Control', 'public, max-age=3600');
    ctx.body = body;
  });
}
