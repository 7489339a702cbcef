export * from './applicationEvents.js';
export * from './applicationCommands.js';
export * from './applicationDecider.js';
export * from './applicationSecrets.js';
export * from './applicationNameKey.js';
export { isScopeToken, MAX_DESCRIPTION_LENGTH, MAX_GRACE_SECONDS, MAX_URL_LENGTH } from './applicationValidation.js';
