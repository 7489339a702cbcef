/**
 * The default read model: everything in process memory, rebuilt from the event store at
 * every start (its checkpoints live and die with it).
 */
import type { CheckpointStore, OrganizationRow, ReadModel, UserRow } from '../readModel.js';
import { InMemoryApplications } from './inMemoryApplications.js';
import { InMemoryDirectory } from './inMemoryDirectory.js';

class InMemoryCheckpoints implements CheckpointStore {
  private readonly positions = new Map<string, number>();
  async load(id: string): Promise<number | null> {
    return this.positions.get(id) ?? null;
  }
  async store(id: string, position: number): Promise<void> {
    this.positions.set(id, position);
  }
  clear(): void {
    this.positions.clear();
  }
}

export function createInMemoryReadModel(): ReadModel {
  const applications = new InMemoryApplications();
  const users = new InMemoryDirectory<UserRow>((row) => ({
    ...row,
    roles: [...row.roles],
    organizationIds: [...row.organizationIds],
  }));
  const organizations = new InMemoryDirectory<OrganizationRow>((row) => ({ ...row }));
  const checkpoints = new InMemoryCheckpoints();
  return {
    kind: 'memory',
    applications,
    users,
    organizations,
    checkpoints,
    async clear() {
      applications.clear();
      users.clear();
      organizations.clear();
      checkpoints.clear();
    },
    async ping() {},
    async close() {},
  };
}
