import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';

/**
 * The console's Handlebars views, read from src/console/views at start (page templates, one
 * layout, partials). Every value is HTML-escaped ({{ }}); the only triple brace is the layout's
 * page body, which is itself a rendered template.
 */
export type Render = (view: string, model: Record<string, unknown>) => string;

/** src/console/<name> whether running from src (tsx) or dist (tsc output has no .hbs files). */
export function consoleFolder(name: string): string {
  const here = fileURLToPath(new URL(`./${name}/`, import.meta.url));
  if (existsSync(here)) return here;
  return fileURLToPath(new URL(`../../../src/console/${name}/`, import.meta.url));
}

/** An ISO-8601 UTC time as the console shows it: `2026-12-02 20:13:07 UTC`; '—' when there is none. */
export const formatUtcTime = (iso: unknown): string =>
  typeof iso === 'string' && iso !== '' ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC') : '—';

export function loadViews(dir: string = consoleFolder('views')): Render {
  const hbs = Handlebars.create();
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hbs.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  hbs.registerHelper('not', (a: unknown) => !a);
  hbs.registerHelper('includes', (list: unknown, item: unknown) => Array.isArray(list) && list.includes(item));
  hbs.registerHelper('join', (list: unknown) => (Array.isArray(list) ? list.join(', ') : ''));
  hbs.registerHelper('date', formatUtcTime);
  const partials = join(dir, 'partials');
  for (const file of readdirSync(partials).filter((f) => f.endsWith('.hbs'))) {
    hbs.registerPartial(basename(file, '.hbs'), readFileSync(join(partials, file), 'utf8'));
  }
  const templates = new Map<string, HandlebarsTemplateDelegate>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.hbs'))) {
    templates.set(basename(file, '.hbs'), hbs.compile(readFileSync(join(dir, file), 'utf8'), { strict: false }));
  }
  const layout = templates.get('layout');
  if (!layout) throw new Error(`console views: ${dir}layout.hbs is missing`);
  return (view, model) => {
    const template = templates.get(view);
    if (!template) throw new Error(`console views: no view ${view}`);
    return layout({ ...model, body: template(model) });
  };
}
