import { createInMemoryReadModel } from '../../projections/inMemory/inMemoryReadModel.js';
import { readModelContract } from './readModel.contract.js';

readModelContract('in-memory', async () => createInMemoryReadModel());
