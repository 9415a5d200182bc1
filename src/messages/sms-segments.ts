/**
 * SMS segment counting. A text goes out in the GSM 03.38 7-bit alphabet when every
 * character is in it, else in UCS-2 (UTF-16). One segment holds 160 GSM-7 septets or
 * 70 UCS-2 units; a longer message is split into parts that each lose room to the
 * concatenation header (6 bytes): 153 septets or 67 units per part. Characters of the
 * GSM extension table (`^{}[]~\|€` and form feed) are sent as ESC + char, so they
 * count as two septets, and a part never splits an escape pair (nor a UTF-16
 * surrogate pair). Reference: 3GPP TS 23.038 (alphabet) and TS 23.040 (concatenation).
 */

/** Which alphabet a text needs. */
export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsCount {
  readonly encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) of the whole text. */
  readonly units: number;
  readonly segments: number;
}

/** Above this many segments a text is long for a phone: the CLI warns. */
export const SMS_SEGMENT_WARNING = 3;

// GSM 03.38 basic character set (LF and CR included; ESC 0x1B excluded).
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM_EXTENSION = new Set('^{}\\[~]|€\f');

const LIMITS: Record<SmsEncoding, { single: number; part: number }> = {
  'GSM-7': { single: 160, part: 153 },
  'UCS-2': { single: 70, part: 67 },
};

/** Septets of one character in GSM-7, or undefined when the alphabet lacks it. */
function gsmWidth(char: string): number | undefined {
  if (GSM_BASIC.has(char)) return 1;
  if (GSM_EXTENSION.has(char)) return 2;
  return undefined;
}

/**
 * Counts the segments a text message takes and the encoding it needs.
 *
 * @example countSmsSegments('See you tomorrow!') // { encoding: 'GSM-7', units: 17, segments: 1 }
 * @example countSmsSegments('¿Cómo está?')       // { encoding: 'UCS-2', units: 11, segments: 1 } ('ó' is not GSM-7)
 */
export function countSmsSegments(text: string): SmsCount {
  // Each character's width in the chosen alphabet; code points, so surrogate pairs stay whole.
  const chars = [...text];
  const gsm = chars.map(gsmWidth);
  const encoding: SmsEncoding = gsm.every((w) => w !== undefined) ? 'GSM-7' : 'UCS-2';
  const widths = encoding === 'GSM-7' ? (gsm as number[]) : chars.map((c) => c.length);
  const units = widths.reduce((sum, w) => sum + w, 0);
  const limit = LIMITS[encoding];
  if (units <= limit.single) return { encoding, units, segments: units === 0 ? 0 : 1 };
  // Fill parts greedily; a character that does not fit whole starts the next part.
  let segments = 1;
  let used = 0;
  for (const width of widths) {
    if (used + width > limit.part) {
      segments++;
      used = 0;
    }
    used += width;
  }
  return { encoding, units, segments };
}
