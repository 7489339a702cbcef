/**
 * The database a MongoDB connection string names, parsed by the driver's own parser
 * (`mongodb-connection-string-url`, which `mongodb` uses): multi-host seed lists
 * (`mongodb://a:1,b:2/db`), options and `mongodb+srv` all work, where `new URL()` throws.
 * `undefined` when the string names none (the caller then picks its default).
 */
import { ConnectionString } from 'mongodb-connection-string-url';

export function databaseNameOf(url: string): string | undefined {
  const path = new ConnectionString(url).pathname.replace(/^\//, '');
  const name = decodeURIComponent(path);
  return name === '' ? undefined : name;
}
