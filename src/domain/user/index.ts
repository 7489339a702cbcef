export * from './userEvents.js';
export * from './userCommands.js';
export * from './userDecider.js';
export * from './userValidation.js';
export * from './usernameKey.js';
export * from './loginLockout.js';
export * from './userSessions.js';
