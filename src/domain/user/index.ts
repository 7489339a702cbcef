export * from './userEvents.js';
export * from './userCommands.js';
export * from './userDecider.js';
export * from './userValidation.js';
export * from './usernameKey.js';
