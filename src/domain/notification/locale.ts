/** The locale every template has (shipped defaults) and every fallback chain ends with. */
export const DEFAULT_LOCALE = 'en';

const LOCALE_PATTERN = /^[a-z]{2,3}(_[A-Z][A-Za-z]{1,3}|_[0-9]{3})?$/;

/** `de-de` / `de_DE` → `de_DE`; returns null when it is not a locale. */
export function normalizeLocale(input: string): string | null {
  const [language, region, ...rest] = input.trim().replace(/-/g, '_').split('_');
  if (rest.length > 0 || !language) return null;
  const normalized =
    region === undefined
      ? language.toLowerCase()
      : `${language.toLowerCase()}_${region.length === 2 ? region.toUpperCase() : region[0]!.toUpperCase() + region.slice(1).toLowerCase()}`;
  return LOCALE_PATTERN.test(normalized) ? normalized : null;
}

/** `de_DE` → [`de_DE`, `de`, `en`]: the recipient's locale, its language, then the default. */
export function localeFallbacks(locale: string | null | undefined): string[] {
  const normalized = locale ? normalizeLocale(locale) : null;
  const chain: string[] = [];
  if (normalized) {
    chain.push(normalized);
    const language = normalized.split('_')[0]!;
    if (language !== normalized) chain.push(language);
  }
  if (!chain.includes(DEFAULT_LOCALE)) chain.push(DEFAULT_LOCALE);
  return chain;
}
