import { describe, expect, it } from 'vitest';
import { formatMoney, fractionDigits, isCurrency, minorUnits, parseAmount } from '../../src/domain/money.js';

describe('parseAmount', () => {
  it.each([
    ['70000', { amount: '70000' }],
    ['70,000', { amount: '70000' }],
    ['556,400.50', { amount: '556400.5' }],
    ['¥70,000', { amount: '70000', currency: 'CNY' }],
    ['$1,000.25', { amount: '1000.25', currency: 'USD' }],
    ['28万', { amount: '280000' }],
    ['5.564万', { amount: '55640' }],
    ['0.00001万', { amount: '0.1' }],
    ['7万元', { amount: '70000' }],
    ['-500', { amount: '-500' }],
    ['0.10', { amount: '0.1' }],
    ['0012', { amount: '12' }],
    // Digit grouping: one kind of separator, groups of three.
    ['70 000', { amount: '70000' }],
    ['70\u00A0000', { amount: '70000' }],
    ['70\u2009000', { amount: '70000' }],
    ['70\u202F000', { amount: '70000' }],
    ['1 234 567.89', { amount: '1234567.89' }],
    ['70  000', { amount: '70000' }],
    ['¥ 70 000', { amount: '70000', currency: 'CNY' }],
    ['￥７０，０００', { amount: '70000', currency: 'CNY' }],
    ['70 000元', { amount: '70000' }],
    // 万 = 10^4 and 亿 = 10^8.
    ['7万', { amount: '70000' }],
    ['1.5万', { amount: '15000' }],
    ['3亿', { amount: '300000000' }],
    ['2亿3000万', { amount: '230000000' }],
    ['2亿 3000万', { amount: '230000000' }],
    ['1亿5万', { amount: '100050000' }],
    ['3万5000', { amount: '35000' }],
    ['3万零5', { amount: '30005' }],
    ['3万0500', { amount: '30500' }],
    ['1亿零5', { amount: '100000005' }],
    ['1,000万', { amount: '10000000' }],
    ['2.5亿元', { amount: '250000000' }],
    ['-7万', { amount: '-70000' }],
    ['7 万', { amount: '70000' }],
  ])('reads %s exactly', (input, expected) => {
    expect(parseAmount(input)).toEqual(expected);
  });

  it.each([
    ['70 00', 'grouping'],
    ['1,5', 'grouping'],
    ['1,00', 'grouping'],
    ['1,23,456', 'grouping'],
    ['1.234.567', 'grouping'],
    ['12 3456', 'grouping'],
    ['1234 567', 'grouping'],
    ['1,000 000', 'grouping'],
    ['5000 3', 'grouping'],
    ['2亿30000万', 'grouping'],
    // A bare number after a unit: 35,000 to most readers, 30,005 by the digits.
    ['3万5', 'grouping'],
    ['28万5', 'grouping'],
    ['1亿5', 'grouping'],
    ['1亿5000', 'grouping'],
    ['1万10000', 'grouping'],
    ['1.5亿3000万', 'format'],
    ['万', 'format'],
    ['3万2亿', 'format'],
    ['七万', 'format'],
    ['abc', 'format'],
    ['1.2.3', 'format'],
    ['', 'format'],
    ['0', 'zero'],
    ['0.000', 'zero'],
    ['12345678901234567', 'too_large'],
  ])('refuses %s (%s)', (input, error) => {
    expect(parseAmount(input)).toBe(error);
  });

  it('keeps precision that floats would lose', () => {
    expect(parseAmount('9007199254740993.0001')).toEqual({ amount: '9007199254740993.0001' });
  });
});

describe('currencies', () => {
  it('knows ISO codes and their minor units', () => {
    expect(isCurrency('CNY')).toBe(true);
    expect(isCurrency('cny')).toBe(true);
    expect(isCurrency('XYZ')).toBe(false);
    expect(minorUnits('CNY')).toBe(2);
    expect(minorUnits('JPY')).toBe(0);
    expect(minorUnits('KWD')).toBe(3);
    expect(fractionDigits('10.125')).toBe(3);
    expect(fractionDigits('10')).toBe(0);
  });

  it('formats decimal strings exactly, in the reader’s locale', () => {
    expect(formatMoney('12345678901234.5600', 'CNY', 'en-US')).toBe('CN¥12,345,678,901,234.56');
    expect(formatMoney('556400.0000', 'CNY', 'zh-CN')).toBe('¥556,400.00');
    expect(formatMoney('1000', 'JPY', 'en-US')).toBe('¥1,000');
  });
});
