export * from './organizationEvents.js';
export * from './organizationCommands.js';
export * from './organizationDecider.js';
