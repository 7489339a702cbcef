/** The read side's public face: the read model factory, queries, projections and runner. */
import { createInMemoryReadModel } from './inMemory/inMemoryReadModel.js';
import type { ReadModel } from './readModel.js';

export interface ReadModelConfig {
  /** MONGO_URL: when set, MongoDB; otherwise in memory (rebuilt from the store at start). */
  mongoUrl?: string;
  mongoDbName?: string;
}

export async function createReadModel(config: ReadModelConfig = {}): Promise<ReadModel> {
  if (!config.mongoUrl) return createInMemoryReadModel();
  // Loaded only when configured: the default install never touches the driver.
  const { createMongoReadModel } = await import('./mongo/mongoReadModel.js');
  return createMongoReadModel({ url: config.mongoUrl, dbName: config.mongoDbName });
}

export type * from './readModel.js';
export { createInMemoryReadModel } from './inMemory/inMemoryReadModel.js';
export {
  compileGridQuery,
  gridQuery,
  parseGridQuery,
  DEFAULT_GRID_SORT,
  GRID_SORT_FIELDS,
  type CompiledGridQuery,
  type GridQuery,
  type GridQueryInput,
  type GridScope,
  type GridSortField,
} from './gridQuery.js';
export {
  compileOrganizationQuery,
  compileUserQuery,
  organizationQuery,
  parseDirectoryPaging,
  userQuery,
  type CompiledDirectoryQuery,
  type DirectoryQueryInput,
  type DirectoryScope,
} from './directoryQuery.js';
export { DEFAULT_PER_PAGE, MAX_PER_PAGE, type Paging } from './paging.js';
export { applyEvents, type Projection, type ProjectionHandler } from './projection.js';
export { createProjections } from './projections.js';
export {
  createProjectionRunner,
  ProjectionRunner,
  type ProjectionRunnerOptions,
  type RebuildResult,
} from './projectionRunner.js';
