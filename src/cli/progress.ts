/**
 * Progress of a long replay, as a pure function of what is known: positions done and to go
 * (SQLite: events; EventStoreDB: log offsets, so the fraction and ETA hold for both), events
 * applied and the time spent. A terminal gets one redrawn bar; a log gets plain lines.
 */
export interface ProgressSample {
  /** Position reached, from 0. */
  position: number;
  /** Head position when the replay started. */
  target: number;
  /** Events applied so far. */
  events: number;
  elapsedMs: number;
}

export interface ProgressFigures {
  fraction: number;
  eventsPerSecond: number;
  /** undefined until there is a rate to go by. */
  etaSeconds: number | undefined;
}

export function progressFigures(sample: ProgressSample): ProgressFigures {
  const fraction = sample.target <= 0 ? 1 : Math.min(1, Math.max(0, sample.position / sample.target));
  const seconds = sample.elapsedMs / 1000;
  const eventsPerSecond = seconds > 0 ? sample.events / seconds : 0;
  const positionsPerSecond = seconds > 0 ? sample.position / seconds : 0;
  const etaSeconds = positionsPerSecond > 0 ? Math.max(0, (sample.target - sample.position) / positionsPerSecond) : undefined;
  return { fraction, eventsPerSecond, etaSeconds };
}

export const formatDuration = (seconds: number | undefined): string => {
  if (seconds === undefined || !Number.isFinite(seconds)) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
};

const number = (n: number): string => Math.round(n).toLocaleString('en-US');

/** One plain line: `rebuild: 45% 12,345 events, 3,210 events/s, ETA 00:12`. */
export function progressLine(sample: ProgressSample): string {
  const f = progressFigures(sample);
  return `rebuild: ${Math.floor(f.fraction * 100)}% ${number(sample.events)} events, ${number(f.eventsPerSecond)} events/s, ETA ${formatDuration(f.etaSeconds)}`;
}

/** The terminal bar: `[########............] 45% 12,345 events 3,210 events/s ETA 00:12`. */
export function progressBar(sample: ProgressSample, width = 30): string {
  const f = progressFigures(sample);
  const filled = Math.round(f.fraction * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(f.fraction * 100)).padStart(3)}% ${number(sample.events)} events ${number(f.eventsPerSecond)} events/s ETA ${formatDuration(f.etaSeconds)}`;
}
