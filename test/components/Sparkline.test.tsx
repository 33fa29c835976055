import { describe, expect, it } from 'vitest';
import { Sparkline, sparkline } from '../../components/Sparkline.js';
import { renderAt } from '../helpers/render.js';

describe('sparkline', () => {
  it.each([
    ['rising to the max', [0, 1, 2, 3, 4, 5, 6, 7], 8, '▁▂▃▄▅▆▇█'],
    ['all zero is all lowest', [0, 0, 0], 3, '▁▁▁'],
    ['scaled to the max shown, not absolute', [5, 10], 2, '▅█'],
    ['only the last width values', [100, 1, 2], 2, '▅█'],
    ['short history padded on the left', [4, 8], 5, '   ▅█'],
    ['empty history', [], 3, '   '],
    ['NaN and holes are spaces', [Number.NaN, 8, undefined, 4], 4, ' █ ▅'],
    ['infinity is a space and does not set the scale', [Number.POSITIVE_INFINITY, 2, 4], 3, ' ▅█'],
    ['negative counts as zero', [-5, 4], 2, '▁█'],
    ['tiny positive value is above zero', [0, 1, 1000], 3, '▁▂█'],
    ['width 0', [1, 2, 3], 0, ''],
    ['negative width', [1, 2, 3], -1, ''],
  ] as const)('%s', (_name, values, width, expected) => {
    expect(sparkline(values, width)).toBe(expected);
  });

  it('is always exactly width characters', () => {
    for (let n = 0; n < 30; n++) {
      const values = Array.from({ length: n }, (_, i) => (i * 37) % 11);
      expect([...sparkline(values, 12)]).toHaveLength(12);
    }
  });
});

describe('<Sparkline>', () => {
  it('renders the same line as sparkline()', () => {
    const values = [1, 3, 0, 7, Number.NaN, 7];
    const { lastFrame } = renderAt(<Sparkline values={values} width={8} color="green" noColor />, {
      columns: 20,
      rows: 4,
    });
    expect(lastFrame()).toBe(sparkline(values, 8).trimEnd());
    expect(lastFrame()).toBe('  ▂▄▁█ █');
  });
});
