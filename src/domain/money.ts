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

const symbols = new Map([
  ['¥', 'CNY'],
  ['$', 'USD'],
  ['€', 'EUR'],
  ['£', 'GBP'],
]);
const MAX_INTEGER_DIGITS = 16; // numeric(20, 4)

export interface ParsedAmount {
  /** Canonical decimal string: optional minus, digits, optional fraction ("-70000", "556400.5"). */
  amount: string;
  /** Currency implied by a symbol such as ¥, when one was typed. */
  currency?: string;
}

/** `grouping`: digits grouped in a way that could mean two numbers (70 00, 1,5, 1.234.567). */
export type AmountError = 'format' | 'grouping' | 'too_large' | 'zero';

interface Decimal {
  int: string;
  frac: string;
}

/**
 * One number, with its digits optionally grouped in threes by one kind of separator: a comma
 * or spaces (after NFKC, no-break and thin spaces are spaces). Anything else that looks like
 * grouping is refused rather than guessed: "1,5" is a decimal comma in much of Europe,
 * "1,23,456" Indian grouping, "1.234.567" European grouping.
 */
function readDecimal(text: string): Decimal | AmountError {
  const m = /^([\d ,]+?)(?:\.(\d+))?$/u.exec(text);
  if (!m) return /^\d{1,3}(?:\.\d{3})+$/u.test(text) ? 'grouping' : 'format';
  const [, intText, frac = ''] = m;
  if (/^\d+$/u.test(intText!)) return { int: intText!, frac };
  const seps = new Set(intText!.match(/,| +/gu)!.map((x) => x[0]));
  const groups = intText!.split(/,| +/u);
  const threes = groups[0]!.length >= 1 && groups[0]!.length <= 3 && groups.slice(1).every((g) => g.length === 3);
  return seps.size === 1 && threes ? { int: groups.join(''), frac } : 'grouping';
}

/** 亿 = 10^8 and 万 = 10^4, largest first: "2亿3000万" is 230,000,000. */
const UNITS = [
  { sign: '亿', power: 8 },
  { sign: '万', power: 4 },
  { sign: '', power: 0 },
];

/**
 * Reads "70000", "70,000.50", "70 000", "¥70,000", "-500" (a correction), and the Chinese
 * 万 (ten thousand) and 亿 (hundred million) of reports: "28万", "5.564万", "2亿3000万元".
 * Never guesses: an amount that could be read two ways is refused, so the number stored is
 * the number meant.
 */
export function parseAmount(input: string): ParsedAmount | AmountError {
  // NFKC folds full-width digits and commas, ￥, and the no-break and thin spaces into ASCII.
  let t = input.normalize('NFKC').trim().replace(/\s+/gu, ' ');
  const sign = /^[-−]/u.test(t) ? '-' : '';
  if (sign) t = t.slice(1).trimStart();
  const currency = symbols.get(t[0] ?? '');
  if (currency) t = t.slice(1).trimStart();
  t = t.replace(/ ?元$/u, '');
  // Split at 亿 and 万; each part is a number, and only the last may have a fraction.
  const parts: { value: Decimal; power: number; written: string; zeroLed: boolean }[] = [];
  for (const { sign: unit, power } of UNITS) {
    const at = unit ? t.indexOf(unit) : t.length;
    if (at < 0 || (!unit && t === '')) continue;
    let written = t.slice(0, at).trim();
    // 零 marks a gap below a unit: 3万零5 is 30,005.
    const zeroLed = written.startsWith('零');
    if (zeroLed) written = written.slice(1).trimStart();
    const value = readDecimal(written);
    if (typeof value === 'string') return value;
    parts.push({ value, power, written: value.int, zeroLed });
    t = t.slice(at + unit.length).trimStart();
  }
  if (parts.length === 0 || parts[0]!.zeroLed) return 'format';
  for (let i = 0; i < parts.length - 1; i++) {
    if (parts[i]!.value.frac) return 'format';
    // A part below a larger unit must fit under it ("2亿30000万" means nothing certain). A bare
    // number after the last unit fills the places under it exactly (3万5000) or says with 零
    // that it leaves a gap (3万零5): "3万5" is 35,000 to most readers and 30,005 by the digits,
    // so it is refused, not guessed. One with a unit of its own is clear: 1亿5万 is 100,050,000.
    const below = parts[i + 1]!;
    const places = parts[i]!.power - below.power;
    const digits = below.written.replace(/^0+(?=\d)/u, '').length;
    const fits = below.zeroLed ? below.written.length < places : below.power === 0 ? below.written.length === places : digits <= places;
    if (!fits) return 'grouping';
  }
  const places = parts.at(-1)!.value.frac.length;
  let total = 0n;
  for (const { value, power } of parts) total += BigInt(value.int + value.frac.padEnd(places, '0')) * 10n ** BigInt(power);
  const digits = total.toString().padStart(places + 1, '0');
  const intPart = digits.slice(0, digits.length - places);
  const frac = digits.slice(digits.length - places).replace(/0+$/u, '');
  if (intPart.length > MAX_INTEGER_DIGITS) return 'too_large';
  if (total === 0n) return 'zero';
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
