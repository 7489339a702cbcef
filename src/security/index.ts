export * from './ids.js';
export * from './secretHash.js';
export * from './passwordHash.js';
