/** The projections that build Tollgate's read model, in the order they apply each event. */
import { applicationGridProjection } from './applicationGridProjection.js';
import { createLastUsedProjection } from './lastUsedProjection.js';
import { organizationDirectoryProjection } from './organizationDirectoryProjection.js';
import type { Projection } from './projection.js';
import { userDirectoryProjection } from './userDirectoryProjection.js';

/**
 * Directories come first: the grid looks organization names and usernames up while
 * applying. Each call makes a fresh last-used buffer, so create one set per runner.
 */
export const createProjections = (): Projection[] => [
  organizationDirectoryProjection,
  userDirectoryProjection,
  applicationGridProjection,
  createLastUsedProjection(),
];
