import { translate, translatePlural, type Key, type Params, type PluralKey } from "./i18n";
import { settings } from "./stores/settings.svelte";

/** Reactive translation: reads the language from the settings store. */
export function t(key: Key, params?: Params): string {
  return translate(settings.lang, key, params);
}

export function tn(key: PluralKey, n: number, params?: Params): string {
  return translatePlural(settings.lang, key, n, params);
}
