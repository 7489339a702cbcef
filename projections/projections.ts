/** The projections that build Tollgate's read model, in the order they apply each event. */
import { applicationGridProjection } from './applicationGridProjection.js';
import { createLastUsedProjection, type LastUsedProjection } from './lastUsedProjection.js';
import { organizationDirectoryProjection } from './organizationDirectoryProjection.js';
import type { Projection } from './projection.js';
import { userDirectoryProjection } from './userDirectoryProjection.js';

/**
 * Directories come first: the grid looks organization names and usernames up while
 * applying. Each call makes a fresh last-used buffer (unless given the one the token path
 * reports to), so create one set per runner.
 */
export const createProjections = (lastUsed: LastUsedProjection = createLastUsedProjection()): Projection[] => [
  organizationDirectoryProjection,
  userDirectoryProjection,
  applicationGridProjection,
  lastUsed,
];
