import { describe, expect, it } from 'vitest';
import { casesEn, casesZh } from '../../src/features/cases/messages.js';
import { groupsEn, groupsZh } from '../../src/features/groups/messages.js';
import { itemsEn, itemsZh } from '../../src/features/items/messages.js';
import { meetingsEn, meetingsZh } from '../../src/features/meetings/messages.js';
import { digestEn, digestZh } from '../../src/features/digest/messages.js';
import { statsEn, statsZh } from '../../src/features/stats/messages.js';
import { installationsEn, installationsZh } from '../../src/features/installations/messages.js';
import { compose, type Feature } from '../../src/features/feature.js';
import { ZH_ARGUMENTS, commonEn, commonZh } from '../../src/i18n/common.js';
import { en } from '../../src/i18n/en.js';
import { zhCN } from '../../src/i18n/zh-CN.js';

const catalogs = { common: [commonEn, commonZh], groups: [groupsEn, groupsZh], cases: [casesEn, casesZh], items: [itemsEn, itemsZh], meetings: [meetingsEn, meetingsZh], stats: [statsEn, statsZh], digest: [digestEn, digestZh], installations: [installationsEn, installationsZh] } as const;

describe('the message catalogs, one per feature', () => {
  it('never define one key twice: the merged catalog would silently keep one feature’s wording', () => {
    const seen = new Map<string, string>();
    for (const [owner, [english]] of Object.entries(catalogs)) {
      for (const key of Object.keys(english)) {
        expect(seen.get(key), `${key} is defined by ${seen.get(key)} and ${owner}`).toBeUndefined();
        seen.set(key, owner);
      }
    }
    expect(Object.keys(en).sort()).toEqual([...seen.keys()].sort());
  });

  it('give Chinese for every English key, catalog by catalog', () => {
    for (const [english, chinese] of Object.values(catalogs)) expect(Object.keys(chinese).sort()).toEqual(Object.keys(english).sort());
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
    expect(zhCN.locale).toBe('zh');
  });

  it('are refused at start when two features claim one key', () => {
    const a: Feature = { name: 'a', messages: { en: { hello: 'hi' }, 'zh-CN': { hello: '你好' } } };
    const b: Feature = { name: 'b', messages: { en: { hello: 'hey' }, 'zh-CN': { hello: '嘿' } } };
    expect(() => compose([a, b])).toThrow('feature b: message hello is declared twice');
  });
});

describe('a missing argument, for a Chinese reader', () => {
  it('is named in the words of the Chinese usage lines, for every placeholder a command asks for', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
    const asked = new Set<string>();
    for (const f of [...files('commands'), ...files('src')]) for (const m of readFileSync(f, 'utf8').matchAll(/missingArgument\('([^']+)'\)/g)) asked.add(m[1]!);
    expect(asked.size).toBeGreaterThan(10);
    expect([...asked].filter((a) => !ZH_ARGUMENTS.has(a)), 'add these to ZH_ARGUMENTS in src/i18n/common.ts').toEqual([]);
    expect(zhCN.missingArgument('REF')).toBe('缺少案件编号。');
    expect(en.missingArgument('REF')).toBe('Missing REF.');
  });
});
