import { expect } from 'chai';
import { databaseNameOf } from '../../projections/mongo/mongoDatabaseName.js';

describe('MongoDB database name from the connection string', () => {
  it('reads the database of a single-host URL, with or without options', () => {
    expect(databaseNameOf('mongodb://localhost:27017/registry')).to.equal('registry');
    expect(databaseNameOf('mongodb://user:p%40ss@localhost/registry?authSource=admin&w=majority')).to.equal('registry');
  });

  it('reads the database of a multi-host seed list, where new URL() throws', () => {
    expect(() => new URL('mongodb://a:27017,b:27018/registry')).to.throw();
    expect(databaseNameOf('mongodb://a:27017,b:27018/registry')).to.equal('registry');
    expect(databaseNameOf('mongodb://a,b,c/registry?replicaSet=rs0&readPreference=secondaryPreferred')).to.equal('registry');
  });

  it('reads the database of a mongodb+srv URL and decodes it', () => {
    expect(databaseNameOf('mongodb+srv://cluster0.example.net/tollgate_prod?retryWrites=true')).to.equal('tollgate_prod');
    expect(databaseNameOf('mongodb://a,b/my%2Ddb')).to.equal('my-db');
  });

  it('answers undefined when the URL names no database', () => {
    expect(databaseNameOf('mongodb://a:27017,b:27018')).to.equal(undefined);
    expect(databaseNameOf('mongodb://a:27017,b:27018/?replicaSet=rs0')).to.equal(undefined);
    expect(databaseNameOf('mongodb+srv://cluster0.example.net/')).to.equal(undefined);
  });
});
