/** Runs the read model contract against MongoDB when MONGO_URL is set; pending otherwise. */
import { createMongoReadModel } from '../../projections/mongo/mongoReadModel.js';
import { readModelContract } from './readModel.contract.js';

const url = process.env.MONGO_URL;

if (url) {
  // One database per run, dropped by the suite's clear(); never the configured one.
  const dbName = `tollgate_contract_${process.pid}_${Date.now()}`;
  readModelContract('mongodb', () => createMongoReadModel({ url, dbName }));
} else {
  describe('read model contract: mongodb', () => {
    it('runs when MONGO_URL is set');
  });
}
