export * from './uniqueKeyEvents.js';
export * from './uniqueKeyCommands.js';
export * from './uniqueKeyDecider.js';
export * from './uniqueKeyStreamName.js';
