/**
 * Money is exact: amounts travel as decimal strings, Postgres `numeric` stores and sums them,
 * and Intl formats the strings without ever turning them into floats.
 */
export const MONEY_KINDS = ['involved', 'frozen', 'recovered'] as const;
export type MoneyKind = (typeof MONEY_KINDS)[number];

const currencies = new Set(Intl.supportedValuesOf('currency'));

export function isCurrency(code: string): boolean {
  return currencies.has(code.toUpperCase());
}

/** Minor units of a currency: 2 for CNY and USD, 0 for JPY, 3 for KWD. */
export function minorUnits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

const symbols: Record<string, string> = { '¥': 'CNY', '￥': 'CNY', $: 'USD', '€': 'EUR', '£': 'GBP' };
const MAX_INTEGER_DIGITS = 16; // numeric(20, 4)

export interface ParsedAmount {
  /** Canonical decimal string: optional minus, digits, optional fraction ("-70000", "556400.5"). */
  amount: string;
  /** Currency implied by a symbol such as ¥, when one was typed. */
  currency?: string;
}

export type AmountError = 'format' | 'too_large' | 'zero';

/** Moves the decimal point `places` to the right on a digit string, exactly. */
function shift(intPart: string, frac: string, places: number): [string, string] {
  const padded = frac.padEnd(places, '0');
  return [intPart + padded.slice(0, places), padded.slice(places)];
}

/**
 * Reads "70000", "70,000.50", "¥70,000", "-500" (a correction), "28万" and "5.564万"
 * (万 = ten thousand, as amounts are often written in Chinese reports).
 */
export function parseAmount(input: string): ParsedAmount | AmountError {
  let t = input.trim().replace(/\s+/g, '');
  let currency: string | undefined;
  const sign = t.startsWith('-') ? '-' : '';
  if (sign) t = t.slice(1);
  const sym = symbols[t[0] ?? ''];
  if (sym) {
    currency = sym;
    t = t.slice(1);
  }
  if (t.endsWith('元')) t = t.slice(0, -1);
  let scale = 0;
  if (t.endsWith('万')) {
    scale = 4;
    t = t.slice(0, -1);
  }
  const m = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/.exec(t);
  if (!m) return 'format';
  let [intPart, frac] = shift(m[1]!.replace(/,/g, ''), m[2] ?? '', scale);
  intPart = intPart.replace(/^0+(?=\d)/, '');
  frac = frac.replace(/0+$/, '');
  if (intPart.length > MAX_INTEGER_DIGITS) return 'too_large';
  if (/^0*$/.test(intPart) && frac === '') return 'zero';
  const amount = sign + intPart + (frac ? `.${frac}` : '');
  return currency ? { amount, currency } : { amount };
}

/** Number of digits after the decimal point of a canonical amount. */
export function fractionDigits(amount: string): number {
  const i = amount.indexOf('.');
  return i < 0 ? 0 : amount.length - i - 1;
}

export function formatMoney(amount: string, currency: string, locale: string): string {
  const digits = minorUnits(currency);
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(amount as unknown as number); // Intl formats decimal strings exactly
}
