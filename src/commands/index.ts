export * from './commandHandler.js';
export * from './aggregateStream.js';
export * from './commandDeps.js';
export * from './uniqueKeys.js';
export * from './lookups.js';
export * from './applicationCommands.js';
export * from './organizationCommands.js';
export * from './userCommands.js';
