/** Where a subscriber keeps the last position it handled (a tiny port, one key per name). */
export interface CheckpointStore {
  load(name: string): Promise<number | undefined>;
  store(name: string, position: number): Promise<void>;
  close(): Promise<void>;
}
