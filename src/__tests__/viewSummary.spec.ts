import {
  formatNumber,
  formatQuantity,
  isLayoutName,
  viewSummary
} from '../models/viewSummary';

describe('quantities', () => {
  it('picks the SI prefix that keeps the number readable', () => {
    expect(formatQuantity(8e-9, 'm')).toBe('8 nm');
    expect(formatQuantity(640e-9, 'm')).toBe('640 nm');
    expect(formatQuantity(1.28e-6, 'm')).toBe('1.28 µm');
    expect(formatQuantity(0.9999999e-6, 'm')).toBe('1 µm');
    expect(formatQuantity(0.004, 's')).toBe('4 ms');
    expect(formatQuantity(2500, 'Hz')).toBe('2.5 kHz');
    expect(formatQuantity(0, 'm')).toBe('0 m');
    expect(formatQuantity(3, '')).toBe('3');
  });

  it('writes numbers with four significant digits at most', () => {
    expect(formatNumber(80)).toBe('80');
    expect(formatNumber(80.123456)).toBe('80.12');
    expect(formatNumber(0.55)).toBe('0.55');
    expect(formatNumber(NaN)).toBe('NaN');
  });
});

describe('view summary', () => {
  it('shows the position with units, the layout and the scale', () => {
    const view = viewSummary({
      dimensions: {
        x: [8e-9, 'm'],
        y: [8e-9, 'm'],
        z: [4e-8, 'm'],
        t: [1, '']
      },
      position: [80, 81.5, 10, 3],
      layout: 'xz',
      crossSectionScale: 0.55
    });
    expect(view.position).toEqual([
      { name: 'x', value: 80, step: '8 nm', physical: '640 nm' },
      { name: 'y', value: 81.5, step: '8 nm', physical: '652 nm' },
      { name: 'z', value: 10, step: '40 nm', physical: '400 nm' },
      { name: 't', value: 3, step: '', physical: '' }
    ]);
    expect(view.layout).toBe('xz');
    expect(view.crossSectionScale).toBe(0.55);
    expect(view.crossSectionPixel).toBe('4.4 nm');
  });

  it('copes with a state that has not much yet', () => {
    expect(viewSummary(null)).toEqual({
      position: [],
      layout: '',
      crossSectionScale: null,
      crossSectionPixel: ''
    });
    expect(viewSummary({ layout: { type: 'row', children: [] } }).layout).toBe(
      'custom'
    );
    expect(viewSummary({ layout: { type: 'xy-3d' } }).layout).toBe('xy-3d');
  });

  it('knows the layouts the switch offers', () => {
    expect(['xy', 'xz', 'yz', '3d', '4panel'].every(isLayoutName)).toBe(true);
    expect(isLayoutName('xy-3d')).toBe(false);
  });
});
