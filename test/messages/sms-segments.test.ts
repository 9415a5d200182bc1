import { describe, expect, it } from 'vitest';
import { countSmsSegments } from '../../src/messages/sms-segments.js';

// Expected counts worked by hand from 3GPP TS 23.038 / 23.040: GSM-7 holds 160 septets in
// one segment and 153 per part beyond; UCS-2 70 units, 67 per part; extension characters
// take two septets; emoji outside the BMP take two UTF-16 units.
describe('countSmsSegments', () => {
  it('counts plain ASCII in GSM-7 at 160 per single segment and 153 per part', () => {
    expect(countSmsSegments('Hello from Elm School')).toEqual({ encoding: 'GSM-7', units: 21, segments: 1 });
    expect(countSmsSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(countSmsSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    expect(countSmsSegments('a'.repeat(306))).toEqual({ encoding: 'GSM-7', units: 306, segments: 2 });
    expect(countSmsSegments('a'.repeat(307))).toEqual({ encoding: 'GSM-7', units: 307, segments: 3 });
    expect(countSmsSegments('')).toEqual({ encoding: 'GSM-7', units: 0, segments: 0 });
  });

  it('keeps Spanish with only GSM letters (ñ, é, ¿, ¡) in GSM-7', () => {
    expect(countSmsSegments('¿Señor Muñoz? ¡Qué bien! é')).toEqual({ encoding: 'GSM-7', units: 26, segments: 1 });
  });

  it('switches accented Spanish (á, í, ó, ú) to UCS-2 at 70 and 67 per part', () => {
    expect(countSmsSegments('Sofía faltó 3 días')).toEqual({ encoding: 'UCS-2', units: 18, segments: 1 });
    const seventy = 'ó'.repeat(70);
    expect(countSmsSegments(seventy).segments).toBe(1);
    expect(countSmsSegments(`${seventy}a`)).toEqual({ encoding: 'UCS-2', units: 71, segments: 2 });
    expect(countSmsSegments('á'.repeat(134)).segments).toBe(2);
    expect(countSmsSegments('á'.repeat(135)).segments).toBe(3);
  });

  it('counts an emoji as two UTF-16 units and never splits it across parts', () => {
    expect(countSmsSegments('Great week! 🎉')).toEqual({ encoding: 'UCS-2', units: 14, segments: 1 });
    // 66 units then an emoji: the pair cannot end part 1 at unit 67, so it opens part 2.
    expect(countSmsSegments(`${'a'.repeat(66)}🎉${'a'.repeat(5)}`)).toEqual({ encoding: 'UCS-2', units: 73, segments: 2 });
  });

  it('counts GSM extension characters {}[]~ as two septets', () => {
    expect(countSmsSegments('{}[]~')).toEqual({ encoding: 'GSM-7', units: 10, segments: 1 });
    expect(countSmsSegments('€ ^ | \\')).toEqual({ encoding: 'GSM-7', units: 11, segments: 1 });
    expect(countSmsSegments('{'.repeat(80))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(countSmsSegments('{'.repeat(81)).segments).toBe(2); // 162 septets: 76 escapes (152) in part 1, 5 in part 2
    // 152 plain septets then "{": the escape pair does not fit in 153, so it starts part 2.
    expect(countSmsSegments(`${'a'.repeat(152)}{${'a'.repeat(10)}`)).toEqual({ encoding: 'GSM-7', units: 164, segments: 2 });
  });
});
