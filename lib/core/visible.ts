/**
 * Text that shows what it holds: invisible characters of user input (Unicode bidi controls such as U+202E, which can
 * make a report read differently from what it says, zero-width characters, the BOM, other format characters, control
 * characters and line separators) become a visible `<U+202E>`. Pure.
 */

const INVISIBLE = /[\p{Cf}\p{Cc}\u2028\u2029]/gu;

/** The text with every invisible character written as `<U+XXXX>`. */
export function showInvisible(text: string): string {
  return text.replace(INVISIBLE, (c) => `<U+${(c.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}>`);
}

/** Characters of a text that show: whitespace, control and format characters (zero-width spaces...) do not count. */
export function visibleLength(text: string): number {
  return text.replace(/[\s\p{Cc}\p{Cf}\p{Z}]/gu, '').length;
}
