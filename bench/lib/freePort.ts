/** One implementation for tests and benches. */
export { freePort } from '../../test/support/freePort.js';
