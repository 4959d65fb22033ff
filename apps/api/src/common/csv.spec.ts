import { describe, expect, it } from '@jest/globals';
import { csvCell, flatten } from './csv.js';

describe('CSV cells', () => {
  it('writes numbers plain, negative ones too: never quoted, never prefixed', () => {
    expect([csvCell(-1), csvCell(0.0657), csvCell(1800), csvCell(-0.5)]).toEqual(['-1', '0.0657', '1800', '-0.5']);
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(['+1', '-2', '@SUM(A1)', '\tx', '\rx'].map(csvCell)).toEqual(["'+1", "'-2", "'@SUM(A1)", "'\tx", `"'\rx"`]);
    expect(csvCell('acme/web')).toBe('acme/web');
  });

  it('quotes text with a quote, a comma or a line break (RFC 4180), and leaves nothing empty', () => {
    expect([csvCell('a,b'), csvCell('say "hi"'), csvCell('two\nlines'), csvCell(null), csvCell(undefined), csvCell(true)]).toEqual([
      '"a,b"',
      '"say ""hi"""',
      '"two\nlines"',
      '',
      '',
      'true',
    ]);
  });
});

describe('flatten', () => {
  it('names nested fields by their dotted JSON path, in order', () => {
    expect(flatten({ date: '2026-11-01', lead_time: { p50_seconds: 60, per_change: { sample: 2 } }, partial: false })).toEqual({
      date: '2026-11-01',
      'lead_time.p50_seconds': 60,
      'lead_time.per_change.sample': 2,
      partial: false,
    });
  });
});
