/**
 * The back-office console's own OAuth client (Keycloak's "security-admin-console"). Its ids are
 * fixed so that every node finds, and at most one node creates, the same application; its
 * secret is generated once and thrown away, and client authentication refuses it anyway
 * (src/tokens/clientAuthentication.ts): only the console, in process, uses it.
 */
export const CONSOLE_APPLICATION_ID = 'tollgate-console';
export const CONSOLE_CLIENT_ID = 'tollgate-console';
export const CONSOLE_APPLICATION_NAME = 'Tollgate Console';
