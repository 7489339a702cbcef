import { readFileSync } from 'node:fs';

/** A V8 .cpuprofile (what `node --cpu-prof` writes). */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface SelfTime {
  name: string;
  where: string;
  ms: number;
  share: number;
}

/** Where a function lives, shortened: a package name, a node: module, or a repo path. */
export function shortUrl(url: string): string {
  if (!url) return '(native/VM)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(url);
  if (pkg) return `${pkg[1]}/${pkg[2]}`;
  const repo = /\/work\/[^/]+\/(.*)$/.exec(url) ?? /file:\/\/\/.*?\/((?:src|projections|workers|bench)\/.*)$/.exec(url);
  if (repo) return repo[1]!;
  return url.replace(/^file:\/\//, '');
}

/** The area a function belongs to, for a coarse breakdown. */
export function areaOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native/VM)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const repo = /\/((?:src|projections|workers|bench)\/[^/]+)/.exec(url);
  return repo ? repo[1]! : url;
}

/**
 * Self time per function (name + where), summed over the profile's samples; with `window`,
 * only samples taken between `fromMs` and `toMs` after the profile started.
 */
export function selfTimes(
  file: string,
  window: { fromMs: number; toMs: number } = { fromMs: 0, toMs: Infinity },
): { total: number; functions: SelfTime[]; areas: SelfTime[] } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const perNode = new Map<number, number>();
  let at = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (at / 1000 >= window.fromMs && at / 1000 <= window.toMs) perNode.set(id, (perNode.get(id) ?? 0) + delta);
  });
  const functions = new Map<string, SelfTime>();
  const areas = new Map<string, SelfTime>();
  let total = 0;
  for (const [id, micros] of perNode) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const name = functionName || '(anonymous)';
    const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : '';
    const ms = micros / 1000;
    total += ms;
    const key = `${name}@${where}`;
    const f = functions.get(key) ?? { name, where, ms: 0, share: 0 };
    f.ms += ms;
    functions.set(key, f);
    const area = areaOf(url, name);
    const a = areas.get(area) ?? { name: area, where: '', ms: 0, share: 0 };
    a.ms += ms;
    areas.set(area, a);
  }
  const sorted = (m: Map<string, SelfTime>) =>
    [...m.values()].map((v) => ({ ...v, share: v.ms / total })).sort((a, b) => b.ms - a.ms);
  return { total, functions: sorted(functions), areas: sorted(areas) };
}
