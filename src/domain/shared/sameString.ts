/**
 * Equality whose time depends only on the lengths, not on where the strings differ (for
 * comparing a presented PKCE challenge with the stored one). Pure: no node:crypto in domain code.
 */
export function sameString(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}
