export * from './authorizationCodeEvents.js';
export * from './authorizationCodeDecider.js';
export * from './consentEvents.js';
export * from './consentDecider.js';
